import { Injectable, inject, signal } from '@angular/core';
import {
  ACCEPTED_FILE_EXTENSIONS,
  KNOWLEDGE_INTENTS,
  KNOWLEDGE_TYPES,
  MAX_TAGS,
  TAG_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  type Vocabulary,
} from '@business-brain/contract';

import { KnowledgeApi } from './knowledge-api';

/** What the server allows until it has said (the contract's fixed values; its defaults for the configurable ones). */
export const DEFAULT_VOCABULARY: Vocabulary = {
  types: [...KNOWLEDGE_TYPES],
  intents: [...KNOWLEDGE_INTENTS],
  limits: { title_max_length: TITLE_MAX_LENGTH, max_tags: MAX_TAGS, tag_max_length: TAG_MAX_LENGTH, max_file_bytes: 25 * 1024 * 1024, max_files: 10 },
  accepted_file_types: ['PDF', 'DOCX', 'HTML', 'Markdown', 'CSV', 'plain text'],
};

export { ACCEPTED_FILE_EXTENSIONS };

/** The server's vocabulary and limits (file size and count are configurable there), loaded once. */
@Injectable({ providedIn: 'root' })
export class VocabularyStore {
  private readonly api = inject(KnowledgeApi);
  private readonly value = signal<Vocabulary>(DEFAULT_VOCABULARY);
  private requested = false;

  readonly vocabulary = this.value.asReadonly();

  load(): void {
    if (this.requested) return;
    this.requested = true;
    this.api.vocabulary().subscribe({
      next: (vocabulary) => this.value.set(vocabulary),
      error: () => (this.requested = false),
    });
  }
}
