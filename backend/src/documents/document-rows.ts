/** What the documents and knowledge-bases repositories read and write, in camelCase. */

export interface EntryMetadata {
  title: string;
  type: string;
  intent: string;
  tags: string[];
}

export interface KnowledgeEntryRow extends EntryMetadata {
  id: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  documentCount: number;
  /** The sum of the documents' `chunk_count`, which each sets in the transaction that stores its chunks. */
  chunkCount: number;
}

export interface DocumentRow {
  id: string;
  sourceKind: string;
  filename: string | null;
  sourceUrl: string | null;
  mimeType: string | null;
  byteSize: number;
  status: string;
  stage: string | null;
  progress: number;
  error: string | null;
  chunkCount: number;
  pageCount: number | null;
  embeddingModel: string | null;
  createdAt: Date;
  updatedAt: Date;
  processedAt: Date | null;
}

export interface KnowledgeEntryDetail extends KnowledgeEntryRow {
  documents: DocumentRow[];
}

export interface KnowledgeFilters {
  limit: number;
  offset: number;
  type?: string;
  intent?: string;
  tag?: string;
  status?: string;
  q?: string;
}

/** A document as the ingestion worker needs it: where its content comes from. */
export interface DocumentToProcess {
  id: string;
  knowledgeBaseId: string;
  sourceKind: 'file' | 'url' | 'text';
  filename: string | null;
  mimeType: string | null;
  sourceUrl: string | null;
  content: Buffer | null;
}

/** What a processed document records about itself when it becomes ready. */
export interface ReadyDocument {
  chunkCount: number;
  pageCount: number | null;
  embeddingModel: string | null;
  /** For URLs, known only once fetched. */
  mimeType: string | null;
  byteSize: number | null;
}
