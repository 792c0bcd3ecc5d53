export type NodeEnv = 'development' | 'test' | 'production';
/** `all`: API and ingestion worker; `api`: the API alone; `worker`: an ingestion worker with the health routes only. */
export type AppMode = 'all' | 'api' | 'worker';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type DatabaseConfig =
  | {
      engine: 'postgres';
      url: string;
      poolMax: number;
      connectionTimeoutMs: number;
      idleTimeoutMs: number;
    }
  | { engine: 'pglite'; dataDir: string };

export interface ClerkConfig {
  secretKey?: string;
  jwtKey?: string;
  authorizedParties: string[];
  /** Public key the web app loads Clerk with (GET /routes/knowledge/client-config); the API itself does not use it. */
  publishableKey?: string;
}

export interface SearchConfig {
  /** Reciprocal rank fusion: score = weight / (rrfK + rank), summed over the lists. */
  rrfK: number;
  semanticWeight: number;
  keywordWeight: number;
  /** Each list fetches top_k times this many candidates for the fusion. */
  candidatesPerResult: number;
  /** hnsw.ef_search: breadth of the HNSW graph search (at least the candidates wanted). */
  efSearch: number;
  /** A tenant with at most this many chunks is searched exactly (every vector compared), not through HNSW. */
  exactMaxChunks: number;
  /** Query embeddings kept (LRU, by model and text); 0 turns the cache off. */
  queryCacheSize: number;
}

export interface AnswersConfig {
  /** The chat model answers are written by (at the embeddings' OpenAI-compatible endpoint); unset: extractive answers. */
  chatModel?: string;
  /** Per attempt, until the model starts answering, ms. */
  timeoutMs: number;
  /** Longest silence allowed between two parts of a streamed answer, ms. */
  idleTimeoutMs: number;
  /** Retries on 429, 5xx and connection errors, with backoff, before the answer starts. */
  maxRetries: number;
  /** Most tokens the model may write per answer. */
  maxAnswerTokens: number;
}

export interface QuotaConfig {
  /** Documents queued or processing at once. */
  maxPendingDocuments: number;
  /** Sum of the tenant's documents' byte sizes. */
  maxStoredBytes: number;
  /** Documents added in any 60 seconds. */
  uploadsPerMinute: number;
}

export interface RateLimitConfig {
  /** Per tenant, on its routes other than the query routes. */
  tenantPerMinute: number;
  /** Per tenant, on search, context and answer. */
  queriesPerMinute: number;
  /** Per client address, on the public routes (health probes are exempt). */
  ipPerMinute: number;
}

/** The validated, typed configuration of one running service. Built once by `loadAppConfig`. */
export interface AppConfig {
  mode: AppMode;
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  logLevel: LogLevel;
  database: DatabaseConfig;
  migrations: { runOnStart: boolean; dir: string };
  /** Directory of the web app's production build; served at `/` when it holds an index.html. */
  webAppDir: string;
  /** `development` when no Clerk key is configured outside production: every request is let through. */
  authMode: 'clerk' | 'development';
  clerk: ClerkConfig;
  corsOrigins: string[];
  shutdownTimeoutMs: number;
  /** Strict-Transport-Security max-age, seconds; 0: no HSTS header. */
  hstsMaxAgeSeconds: number;
  /** Swagger UI at /docs and the OpenAPI document at /docs-json. */
  apiDocsEnabled: boolean;
  /** Where clients reach this service (PUBLIC_BASE_URL): the OpenAPI document's server, when set. */
  publicBaseUrl?: string;
  /** GET /metrics (Prometheus): served only with a token, which the scraper sends as a bearer token. */
  metrics: { token: string | undefined };
  /** How long a client may take to send a request; past it the server answers 408 and closes the connection. */
  http: {
    /** The request line and headers, ms. */
    headersTimeoutMs: number;
    /** The whole request, body included, ms. */
    requestTimeoutMs: number;
    /**
     * Whose X-Forwarded-For to believe: false (nobody), proxy addresses and CIDR ranges, or how
     * many proxy hops stand in front; it decides the client address that logs and per-address
     * rate limits see.
     */
    trustProxy: false | string[] | number;
  };
  uploads: {
    maxFileBytes: number;
    maxFiles: number;
    maxJsonBodyBytes: number;
    /** Upload bytes held in memory at once across all requests, until they are stored. */
    memoryBudgetBytes: number;
    /** How long an upload waits for room in the budget before it is refused 503, ms. */
    memoryWaitMs: number;
  };
  /** Per-tenant caps, each checked in the transaction that stores new documents; 0 = no cap. */
  quotas: QuotaConfig;
  /** Requests per minute; 0 = no limit. */
  rateLimits: RateLimitConfig;
  extraction: {
    maxBytes: number;
    maxTextChars: number;
    maxDocxUncompressedBytes: number;
    /** Largest total a PDF's compressed streams may unpack to (PDF-bomb guard). */
    maxPdfUncompressedBytes: number;
    parseTimeoutMs: number;
    workers: number;
  };
  chunking: { chunkTokens: number; overlapTokens: number };
  embeddings: {
    /** When unset, the offline lexical embedder is used. */
    openAiApiKey?: string;
    openAiBaseUrl?: string;
    model: string;
    batchSize: number;
    concurrency: number;
    timeoutMs: number;
    maxRetries: number;
    /** How long a batch of chunks waits for other documents to join when none is being processed, ms. */
    lingerMs: number;
    /** Longest a batch of chunks waits for documents still being extracted, to share one embedding request, ms. */
    maxWaitMs: number;
  };
  ingestion: {
    workerEnabled: boolean;
    concurrency: number;
    /** Jobs one tenant may have running at once, so others always find a free slot. */
    tenantConcurrency: number;
    jobTimeoutMs: number;
    heartbeatMs: number;
    staleAfterMs: number;
    maxAttempts: number;
    pollMs: number;
  };
  search: SearchConfig;
  answers: AnswersConfig;
  /** Live status streams: open at once (per process, per tenant) and the shared poller's period. */
  statusStreams: { maxStreams: number; maxStreamsPerTenant: number; pollMs: number };
  urlFetch: { timeoutMs: number; maxBytes: number; maxRedirects: number; allowPrivate: boolean; allowLoopback: boolean };
}
