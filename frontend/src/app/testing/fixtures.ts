import type {
  AnswerEvent,
  Chunk,
  ContextSource,
  KnowledgeDocument,
  KnowledgeEntry,
  KnowledgeEntryDetail,
  KnowledgeIndex,
  SearchResult,
} from '@business-brain/contract';

/** Builders of API response bodies for tests: complete, valid objects with only the interesting fields given. */

const STAMP = '2026-11-30T10:00:00.000Z';

export function anEntry(overrides: Partial<KnowledgeEntry> = {}): KnowledgeEntry {
  return {
    id: 'entry-1',
    title: 'Employee handbook',
    type: 'Policy',
    intent: 'Onboarding',
    tags: ['hr', 'handbook'],
    status: 'ready',
    document_count: 1,
    chunk_count: 12,
    created_at: STAMP,
    updated_at: STAMP,
    ...overrides,
  };
}

export function aDocument(overrides: Partial<KnowledgeDocument> = {}): KnowledgeDocument {
  return {
    id: 'doc-1',
    source_kind: 'file',
    filename: 'handbook.pdf',
    source_url: null,
    mime_type: 'application/pdf',
    byte_size: 2048,
    status: 'ready',
    stage: null,
    progress: 100,
    error: null,
    chunk_count: 12,
    page_count: 4,
    embedding_model: 'test-embedding',
    created_at: STAMP,
    updated_at: STAMP,
    processed_at: STAMP,
    ...overrides,
  };
}

export function aDetail(entry: Partial<KnowledgeEntry> = {}, documents: KnowledgeDocument[] = [aDocument()]): KnowledgeEntryDetail {
  return { ...anEntry(entry), documents };
}

export function anIndex(entries: KnowledgeEntry[], total = entries.length): KnowledgeIndex {
  return { entries, total_count: total };
}

export function aChunk(position: number, overrides: Partial<Chunk> = {}): Chunk {
  return {
    id: `chunk-${position}`,
    document_id: 'doc-1',
    position,
    content: `Content of chunk ${position}.`,
    token_count: 42,
    page_number: null,
    page_end: null,
    char_start: position * 100,
    char_end: position * 100 + 99,
    model: 'test-embedding',
    ...overrides,
  };
}

export function aSearchResult(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    score: 0.8765,
    semantic_rank: 1,
    keyword_rank: 2,
    chunk_id: 'chunk-14',
    content: 'New staff get a laptop on their first day.',
    snippet: 'New staff get a <mark>laptop</mark> on their first day.',
    knowledge_base_id: 'entry-1',
    title: 'Employee handbook',
    type: 'Policy',
    intent: 'Onboarding',
    tags: ['hr'],
    document_id: 'doc-1',
    filename: 'handbook.pdf',
    source_url: null,
    position: 14,
    page_start: 3,
    page_end: 3,
    char_start: 1400,
    char_end: 1499,
    ...overrides,
  };
}

export function aContextSource(number: number, overrides: Partial<ContextSource> = {}): ContextSource {
  return {
    number,
    knowledge_base_id: `entry-${number}`,
    title: `Source ${number}`,
    document_id: `doc-${number}`,
    filename: `source-${number}.pdf`,
    source_url: null,
    page_start: number + 1,
    page_end: number + 1,
    char_start: 0,
    char_end: 100,
    score: 0.9,
    chunk_ids: [`chunk-${number}`],
    truncated: false,
    ...overrides,
  };
}

/** A complete extractive answer as the server streams it: context, two deltas, citations, done. */
export function anExtractiveAnswer(): AnswerEvent[] {
  const sources = [aContextSource(1), aContextSource(2, { filename: null, source_url: 'https://example.com/faq', page_start: null, page_end: null })];
  return [
    { event: 'context', data: { sources, tokens: 321, model: 'extractive', extractive: true } },
    { event: 'delta', data: { text: 'Laptops are handed out on day one [1].' } },
    { event: 'delta', data: { text: ' Ask IT for access [2].' } },
    { event: 'citations', data: { citations: sources } },
    { event: 'done', data: { model: 'extractive', extractive: true, usage: { prompt_tokens: 0, completion_tokens: 0 } } },
  ];
}
