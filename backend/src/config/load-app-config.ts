import { join, resolve } from 'node:path';

import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

import type { AppConfig, AppMode, LogLevel, NodeEnv } from './app-config.js';
import { declaredVariableNames, EnvironmentVariables } from './environment-variables.js';
import { parseTrustProxy } from './trust-proxy.js';

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const describe = (error: ValidationError): string => {
  // Never echo the value: it may be a secret.
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  return `${error.property}: ${reasons}`;
};

/**
 * Validates the environment once, at start-up. Any missing or malformed variable throws a
 * `ConfigurationError` naming it, and the process stops before it listens.
 */
export function loadAppConfig(env: Record<string, string | undefined>): AppConfig {
  const present: Record<string, string> = {};
  for (const key of declaredVariableNames()) {
    const value = env[key];
    if (value !== undefined) present[key] = key === 'CLERK_JWT_KEY' ? value.replace(/\\n/g, '\n') : value;
  }
  const vars = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigurationError(errors.map(describe));

  const nodeEnv = vars.NODE_ENV as NodeEnv;
  const hasClerkKey = Boolean(vars.CLERK_SECRET_KEY ?? vars.CLERK_JWT_KEY);
  if (!hasClerkKey && nodeEnv === 'production') {
    throw new ConfigurationError([
      'CLERK_SECRET_KEY / CLERK_JWT_KEY: one of them is required when NODE_ENV=production (authentication cannot be turned off in production)',
    ]);
  }

  if (vars.OPENAI_CHAT_MODEL?.trim() && !vars.OPENAI_API_KEY?.trim()) {
    throw new ConfigurationError([
      'OPENAI_CHAT_MODEL: needs OPENAI_API_KEY (for a server that takes no key, such as a local Ollama, any non-empty value)',
    ]);
  }

  if (vars.UPLOAD_MEMORY_BUDGET_BYTES < vars.MAX_UPLOAD_BYTES) {
    throw new ConfigurationError(['UPLOAD_MEMORY_BUDGET_BYTES: must be at least MAX_UPLOAD_BYTES (the largest file must fit in it)']);
  }

  const mode = vars.APP_MODE as AppMode;
  if (mode === 'worker' && !vars.INGESTION_WORKER) {
    throw new ConfigurationError(['INGESTION_WORKER: cannot be false with APP_MODE=worker (the process would do nothing)']);
  }
  if (mode === 'worker' && vars.DATABASE_URL === undefined) {
    throw new ConfigurationError([
      'APP_MODE: worker needs DATABASE_URL (the embedded database belongs to one process; separate workers share a PostgreSQL database)',
    ]);
  }
  if (vars.HTTP_HEADERS_TIMEOUT_MS > vars.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigurationError(['HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)']);
  }
  if (vars.UPLOAD_MEMORY_WAIT_MS >= vars.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigurationError([
      'UPLOAD_MEMORY_WAIT_MS: must be less than HTTP_REQUEST_TIMEOUT_MS (an upload waiting for memory has not been received yet, so its wait counts against the request timeout)',
    ]);
  }

  const trustProxy = parseTrustProxy(vars.TRUST_PROXY);
  if ('problem' in trustProxy) throw new ConfigurationError([trustProxy.problem]);

  return {
    mode,
    nodeEnv,
    port: vars.PORT,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL as LogLevel,
    database: vars.DATABASE_URL
      ? {
          engine: 'postgres',
          url: vars.DATABASE_URL,
          poolMax: vars.DATABASE_POOL_MAX,
          connectionTimeoutMs: vars.DATABASE_CONNECTION_TIMEOUT_MS,
          idleTimeoutMs: vars.DATABASE_IDLE_TIMEOUT_MS,
        }
      : { engine: 'pglite', dataDir: vars.DATA_DIR.startsWith('memory://') ? 'memory://' : join(resolve(vars.DATA_DIR), 'pglite') },
    migrations: { runOnStart: vars.RUN_MIGRATIONS, dir: resolve(vars.MIGRATIONS_DIR) },
    webAppDir: resolve(vars.WEB_APP_DIR),
    authMode: hasClerkKey ? 'clerk' : 'development',
    clerk: {
      secretKey: vars.CLERK_SECRET_KEY,
      jwtKey: vars.CLERK_JWT_KEY,
      authorizedParties: splitList(vars.CLERK_AUTHORIZED_PARTIES),
      publishableKey: vars.CLERK_PUBLISHABLE_KEY,
    },
    corsOrigins: splitList(vars.CORS_ORIGINS),
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    hstsMaxAgeSeconds: vars.HSTS_MAX_AGE,
    apiDocsEnabled: vars.API_DOCS_ENABLED ?? nodeEnv !== 'production',
    publicBaseUrl: vars.PUBLIC_BASE_URL,
    metrics: { token: vars.METRICS_TOKEN },
    http: { headersTimeoutMs: vars.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: vars.HTTP_REQUEST_TIMEOUT_MS, trustProxy: trustProxy.value },
    uploads: {
      maxFileBytes: vars.MAX_UPLOAD_BYTES,
      maxFiles: vars.MAX_FILES_PER_REQUEST,
      maxJsonBodyBytes: vars.MAX_JSON_BODY_BYTES,
      memoryBudgetBytes: vars.UPLOAD_MEMORY_BUDGET_BYTES,
      memoryWaitMs: vars.UPLOAD_MEMORY_WAIT_MS,
    },
    quotas: {
      maxPendingDocuments: vars.QUOTA_MAX_PENDING_DOCUMENTS,
      maxStoredBytes: vars.QUOTA_MAX_STORED_BYTES,
      uploadsPerMinute: vars.QUOTA_UPLOADS_PER_MINUTE,
    },
    rateLimits: {
      tenantPerMinute: vars.RATE_LIMIT_TENANT_PER_MINUTE,
      queriesPerMinute: vars.RATE_LIMIT_QUERIES_PER_MINUTE,
      ipPerMinute: vars.RATE_LIMIT_IP_PER_MINUTE,
    },
    extraction: {
      maxBytes: vars.MAX_UPLOAD_BYTES,
      maxTextChars: vars.MAX_TEXT_CHARS,
      maxDocxUncompressedBytes: vars.MAX_DOCX_UNCOMPRESSED_BYTES,
      maxPdfUncompressedBytes: vars.MAX_PDF_UNCOMPRESSED_BYTES,
      parseTimeoutMs: vars.PARSE_TIMEOUT_MS,
      workers: vars.PARSE_WORKERS,
    },
    chunking: { chunkTokens: vars.CHUNK_TOKENS, overlapTokens: Math.min(vars.CHUNK_OVERLAP_TOKENS, Math.floor(vars.CHUNK_TOKENS / 2)) },
    embeddings: {
      openAiApiKey: vars.OPENAI_API_KEY,
      openAiBaseUrl: vars.OPENAI_BASE_URL,
      model: vars.EMBEDDING_MODEL,
      batchSize: vars.EMBEDDING_BATCH_SIZE,
      concurrency: vars.EMBEDDING_CONCURRENCY,
      timeoutMs: vars.EMBEDDING_TIMEOUT_MS,
      maxRetries: vars.EMBEDDING_MAX_RETRIES,
      lingerMs: vars.EMBEDDING_LINGER_MS,
      maxWaitMs: vars.EMBEDDING_MAX_WAIT_MS,
    },
    ingestion: {
      workerEnabled: vars.INGESTION_WORKER && vars.APP_MODE !== 'api',
      concurrency: vars.INGESTION_CONCURRENCY,
      // by default every slot but two: a tenant alone uses nearly all, and another tenant's upload always finds one free
      tenantConcurrency: Math.min(vars.INGESTION_CONCURRENCY, vars.INGESTION_TENANT_CONCURRENCY ?? Math.max(1, vars.INGESTION_CONCURRENCY - 2)),
      jobTimeoutMs: vars.INGESTION_JOB_TIMEOUT_MS,
      heartbeatMs: vars.INGESTION_HEARTBEAT_MS,
      staleAfterMs: Math.max(vars.INGESTION_STALE_AFTER_MS, vars.INGESTION_HEARTBEAT_MS * 3),
      maxAttempts: vars.INGESTION_MAX_ATTEMPTS,
      pollMs: vars.INGESTION_POLL_MS,
    },
    urlFetch: {
      timeoutMs: vars.URL_FETCH_TIMEOUT_MS,
      maxBytes: vars.URL_FETCH_MAX_BYTES,
      maxRedirects: vars.URL_FETCH_MAX_REDIRECTS,
      allowPrivate: vars.URL_FETCH_ALLOW_PRIVATE,
      allowLoopback: vars.URL_FETCH_ALLOW_LOOPBACK,
    },
    search: {
      rrfK: vars.SEARCH_RRF_K,
      semanticWeight: vars.SEARCH_SEMANTIC_WEIGHT,
      keywordWeight: vars.SEARCH_KEYWORD_WEIGHT,
      candidatesPerResult: vars.SEARCH_CANDIDATES_PER_RESULT,
      efSearch: vars.SEARCH_HNSW_EF_SEARCH,
      exactMaxChunks: vars.SEARCH_EXACT_MAX_CHUNKS,
      queryCacheSize: vars.SEARCH_QUERY_CACHE_SIZE,
    },
    answers: {
      chatModel: vars.OPENAI_CHAT_MODEL?.trim() || undefined,
      timeoutMs: vars.CHAT_TIMEOUT_MS,
      idleTimeoutMs: vars.CHAT_IDLE_TIMEOUT_MS,
      maxRetries: vars.CHAT_MAX_RETRIES,
      maxAnswerTokens: vars.ANSWER_MAX_TOKENS,
    },
    statusStreams: { maxStreams: vars.SSE_MAX_STREAMS, maxStreamsPerTenant: vars.SSE_MAX_STREAMS_PER_TENANT, pollMs: vars.SSE_POLL_MS },
  };
}
