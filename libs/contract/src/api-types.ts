/**
 * JSON shapes of the REST API (snake_case, as on the wire). The backend's Swagger DTOs implement
 * these interfaces, so a change to either side that breaks the other fails to compile.
 */
import type {
  DocumentStage,
  DocumentStatus,
  EntryStatus,
  KnowledgeIntent,
  KnowledgeType,
  SearchMetric,
  SearchMode,
  SourceKind,
} from './vocabulary.js';

/** The one error body every endpoint answers with. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  request_id: string;
  details?: { field: string; problems: string[] }[];
}

/** GET /routes/knowledge/client-config: what a browser needs to know before it signs in. */
export interface ClientConfig {
  /** `development`: no sign-in, any tenant; `clerk`: a Clerk session token of the tenant's organisation. */
  auth_mode: 'development' | 'clerk';
  /** Clerk's publishable key (public by design), null when sign-in is off or it is not configured. */
  clerk_publishable_key: string | null;
}

/** GET /routes/knowledge/vocabulary */
export interface Vocabulary {
  types: string[];
  intents: string[];
  limits: {
    title_max_length: number;
    max_tags: number;
    tag_max_length: number;
    max_file_bytes: number;
    max_files: number;
  };
  accepted_file_types: string[];
}

export interface KnowledgeMetadata {
  title: string;
  type: KnowledgeType;
  intent: KnowledgeIntent;
  /** Optional when creating: an entry without tags. */
  tags?: string[];
}

export interface KnowledgeEntry {
  id: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  status: EntryStatus | string;
  document_count: number;
  chunk_count: number;
  created_at: string;
  updated_at: string;
}

export interface KnowledgeIndex {
  entries: KnowledgeEntry[];
  total_count: number;
}

export interface KnowledgeIndexQuery {
  limit?: number;
  offset?: number;
  type?: string;
  intent?: string;
  tag?: string;
  status?: string;
  q?: string;
}

export interface KnowledgeDocument {
  id: string;
  source_kind: SourceKind | string;
  filename: string | null;
  source_url: string | null;
  mime_type: string | null;
  byte_size: number;
  status: DocumentStatus | string;
  stage: DocumentStage | string | null;
  progress: number;
  error: string | null;
  chunk_count: number;
  page_count: number | null;
  embedding_model: string | null;
  created_at: string;
  updated_at: string;
  processed_at: string | null;
}

export interface KnowledgeEntryDetail extends KnowledgeEntry {
  documents: KnowledgeDocument[];
}

export interface RetryResponse extends KnowledgeEntryDetail {
  requeued: number;
}

export interface Chunk {
  id: string;
  document_id: string;
  position: number;
  content: string;
  token_count: number;
  page_number: number | null;
  page_end: number | null;
  char_start: number;
  char_end: number;
  model: string;
}

export interface ChunkPage {
  chunks: Chunk[];
  total_count: number;
}

/** PATCH /routes/knowledge/{tenant}/{id} */
export type KnowledgeUpdate = Partial<KnowledgeMetadata>;

/** JSON sources of POST /routes/knowledge/{tenant} and POST .../{id}/documents (files go as multipart). */
export interface TextOrUrlSources {
  url?: string;
  text?: string;
}

export interface SearchFilters {
  type?: string[];
  intent?: string[];
  tags?: string[];
  tags_match?: 'any' | 'all';
  knowledge_base_ids?: string[];
  created_after?: string;
  created_before?: string;
}

export interface SearchRequest {
  query: string;
  mode?: SearchMode;
  metric?: SearchMetric;
  top_k?: number;
  min_score?: number;
  filters?: SearchFilters;
}

export interface SearchResult {
  score: number;
  semantic_rank?: number | null;
  keyword_rank?: number | null;
  chunk_id: string;
  content: string;
  /** HTML-escaped, the matches wrapped in `<mark>`. */
  snippet: string;
  knowledge_base_id: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  document_id: string;
  filename: string | null;
  source_url: string | null;
  position: number;
  page_start: number | null;
  page_end: number | null;
  char_start: number;
  char_end: number;
}

export interface SearchResponse {
  results: SearchResult[];
  took_ms: number;
  mode: string;
  embedding_model: string;
}

export interface ContextSource {
  number: number;
  knowledge_base_id: string;
  title: string;
  document_id: string;
  filename: string | null;
  source_url: string | null;
  page_start: number | null;
  page_end: number | null;
  char_start: number;
  char_end: number;
  score: number;
  chunk_ids: string[];
  truncated: boolean;
}

export interface ContextOptions {
  max_tokens?: number;
  mode?: SearchMode;
  metric?: SearchMetric;
  filters?: SearchFilters;
}

export interface AnswerRequest extends ContextOptions {
  question: string;
}

export interface AnswerUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** The events of POST /routes/knowledge/{tenant}/answer, in order: context, delta…, citations, done (or error). */
export type AnswerEvent =
  | { event: 'context'; data: { sources: ContextSource[]; tokens: number; model: string; extractive: boolean } }
  | { event: 'delta'; data: { text: string } }
  | { event: 'citations'; data: { citations: ContextSource[] } }
  | { event: 'done'; data: { model: string; extractive: boolean; usage: AnswerUsage } }
  | { event: 'error'; data: { error: string; message: string; request_id: string } };

export interface AnswerResponse {
  answer: string;
  citations: ContextSource[];
  sources: ContextSource[];
  model: string;
  extractive: boolean;
  usage: AnswerUsage;
}
