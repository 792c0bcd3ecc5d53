import { Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

const toFloat = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;

const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable the service reads, with its rules. `.env.example` documents each one;
 * `load-app-config.ts` turns a validated instance into the typed `AppConfig`.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8000;

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_MAX = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  DATABASE_CONNECTION_TIMEOUT_MS = 5000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  DATABASE_IDLE_TIMEOUT_MS = 30000;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(toBool)
  @IsBoolean()
  RUN_MIGRATIONS = true;

  @IsString()
  @MinLength(1)
  MIGRATIONS_DIR = 'prisma/migrations';

  /** The web app's production build (index.html and its assets), served at / when present. */
  @IsString()
  @MinLength(1)
  WEB_APP_DIR = 'dist/frontend/browser';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^sk_(test|live)_\S+$/, { message: 'CLERK_SECRET_KEY must look like sk_test_... or sk_live_...' })
  CLERK_SECRET_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----/, {
    message: 'CLERK_JWT_KEY must be a PEM public key (-----BEGIN PUBLIC KEY----- ...)',
  })
  CLERK_JWT_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CLERK_AUTHORIZED_PARTIES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^pk_(test|live)_\S+$/, { message: 'CLERK_PUBLISHABLE_KEY must look like pk_test_... or pk_live_...' })
  CLERK_PUBLISHABLE_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /** Longest a client may take to send a request's line and headers (slow-header clients are cut off: 408). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS = 20_000;

  /** Longest a client may take to send a whole request, body included (a trickling upload is cut off: 408). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS = 120_000;

  /**
   * Reverse proxies whose X-Forwarded-For names the client: addresses or CIDR ranges, comma
   * separated, or a number of proxy hops in front of the server; unset or empty: none (the
   * connection's own address is the client's). Checked in load-app-config.ts.
   */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  TRUST_PROXY?: string;

  /** Strict-Transport-Security max-age in seconds; 0 sends no HSTS header. Only behind TLS. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(63_072_000)
  HSTS_MAX_AGE = 0;

  /**
   * The bearer token a Prometheus scraper sends to GET /metrics (compared in constant time); unset:
   * there is no /metrics (404). Long and random: `openssl rand -hex 32`.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{32,512}$/, { message: 'METRICS_TOKEN must be 32 to 512 printable ASCII characters without spaces (e.g. openssl rand -hex 32)' })
  METRICS_TOKEN?: string;

  /** Swagger UI at /docs and the OpenAPI document at /docs-json; unset: on, except with NODE_ENV=production. */
  @Transform(({ value }: { value: unknown }) => toBool({ value: emptyToUndefined({ value }) }))
  @IsOptional()
  @IsBoolean()
  API_DOCS_ENABLED?: boolean;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;

  // --- ingestion ------------------------------------------------------------------------------
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  MAX_FILES_PER_REQUEST = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

  /** Upload bytes buffered in memory at once across all requests; at least MAX_UPLOAD_BYTES (checked in load-app-config). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  UPLOAD_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

  /** How long an upload waits for room in UPLOAD_MEMORY_BUDGET_BYTES before it is refused 503 (0: refused at once). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  UPLOAD_MEMORY_WAIT_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  MAX_TEXT_CHARS = 5_000_000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAX_DOCX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MAX_PDF_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  PARSE_TIMEOUT_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(32)
  PARSE_WORKERS = 2;

  // --- quotas and rate limits (0 = no limit) ---------------------------------------------------
  /** Documents one tenant may have queued or processing at once. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  QUOTA_MAX_PENDING_DOCUMENTS = 1_000;

  /** Bytes one tenant may store (the sum of its documents' sizes). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  QUOTA_MAX_STORED_BYTES = 10 * 1024 * 1024 * 1024;

  /** Documents (files, URLs, texts) one tenant may add in any 60 seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  QUOTA_UPLOADS_PER_MINUTE = 600;

  /** Requests per minute to one tenant's routes (all but the query routes below). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_TENANT_PER_MINUTE = 1_200;

  /** Requests per minute to one tenant's search, context and answer routes. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_QUERIES_PER_MINUTE = 120;

  /** Requests per minute from one client address to the public routes (not /health). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RATE_LIMIT_IP_PER_MINUTE = 600;

  @Transform(toInt)
  @IsInt()
  @Min(16)
  @Max(8191)
  CHUNK_TOKENS = 512;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(4096)
  CHUNK_OVERLAP_TOKENS = 64;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  OPENAI_API_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  OPENAI_BASE_URL?: string;

  @IsString()
  @MinLength(1)
  EMBEDDING_MODEL = 'text-embedding-3-small';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2048)
  EMBEDDING_BATCH_SIZE = 256;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  EMBEDDING_CONCURRENCY = 4;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  EMBEDDING_TIMEOUT_MS = 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(5000)
  EMBEDDING_LINGER_MS = 50;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  EMBEDDING_MAX_WAIT_MS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  EMBEDDING_MAX_RETRIES = 5;

  /**
   * What this process runs: `all` (the API and an ingestion worker), `api` (the API only; documents
   * are processed by worker processes) or `worker` (an ingestion worker with only the health routes).
   * Any number of each may share one PostgreSQL database.
   */
  @IsIn(['all', 'api', 'worker'])
  APP_MODE = 'all';

  @Transform(toBool)
  @IsBoolean()
  INGESTION_WORKER = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  INGESTION_CONCURRENCY = 16;

  /** Jobs one tenant may have running at once; unset: INGESTION_CONCURRENCY minus 2 (at least 1). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  INGESTION_TENANT_CONCURRENCY?: number;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  INGESTION_JOB_TIMEOUT_MS = 10 * 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  INGESTION_HEARTBEAT_MS = 5_000;

  @Transform(toInt)
  @IsInt()
  @Min(500)
  INGESTION_STALE_AFTER_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  INGESTION_MAX_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  INGESTION_POLL_MS = 1_000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  URL_FETCH_TIMEOUT_MS = 15_000;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  URL_FETCH_MAX_BYTES = 10 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(20)
  URL_FETCH_MAX_REDIRECTS = 5;

  @Transform(toBool)
  @IsBoolean()
  URL_FETCH_ALLOW_PRIVATE = false;

  @Transform(toBool)
  @IsBoolean()
  URL_FETCH_ALLOW_LOOPBACK = false;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SEARCH_RRF_K = 60;

  @Transform(toFloat)
  @IsNumber()
  @Min(0)
  @Max(100)
  SEARCH_SEMANTIC_WEIGHT = 1;

  @Transform(toFloat)
  @IsNumber()
  @Min(0)
  @Max(100)
  SEARCH_KEYWORD_WEIGHT = 1;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  SEARCH_CANDIDATES_PER_RESULT = 4;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1000)
  SEARCH_HNSW_EF_SEARCH = 100;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  SEARCH_EXACT_MAX_CHUNKS = 5_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  SEARCH_QUERY_CACHE_SIZE = 1_000;

  /** A chat model served at OPENAI_BASE_URL (with OPENAI_API_KEY): answers are written by it; unset, answers are extractive. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  OPENAI_CHAT_MODEL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  CHAT_TIMEOUT_MS = 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  CHAT_IDLE_TIMEOUT_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  CHAT_MAX_RETRIES = 3;

  @Transform(toInt)
  @IsInt()
  @Min(16)
  @Max(16_000)
  ANSWER_MAX_TOKENS = 800;

  // --- live status streams (GET .../{id}/events) ----------------------------------------------
  /** Status streams open at once in this process, all tenants together; one more answers 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SSE_MAX_STREAMS = 500;

  /** Status streams one tenant may have open at once in this process; one more answers 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  SSE_MAX_STREAMS_PER_TENANT = 20;

  /** How often the one shared poller reads the entries that have open streams, ms. */
  @Transform(toInt)
  @IsInt()
  @Min(20)
  @Max(60_000)
  SSE_POLL_MS = 500;
}

/**
 * Every variable `EnvironmentVariables` declares: each carries a validation decorator, so the
 * validator's metadata lists them all, those without a default (no instance key) included.
 */
export const declaredVariableNames = (): Set<string> =>
  new Set(getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false).map((meta) => meta.propertyName));
