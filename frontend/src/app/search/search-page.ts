import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { SEARCH_MODES, normaliseTag, type SearchMode, type SearchRequest, type SearchResponse, type SearchResult } from '@business-brain/contract';

import { readableError } from '../core/api/api-error';
import { KnowledgeApi } from '../core/api/knowledge-api';
import { VocabularyStore } from '../core/api/vocabulary-store';
import { formatPages } from '../shared/format';

/** Semantic, keyword or hybrid search over the tenant's knowledge, each result citing its document and page. */
@Component({
  selector: 'bb-search-page',
  imports: [
    DecimalPipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
  ],
  templateUrl: './search-page.html',
  styleUrl: './search-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SearchPage {
  readonly tenant = input.required<string>();

  private readonly api = inject(KnowledgeApi);
  protected readonly vocabulary = inject(VocabularyStore).vocabulary;
  protected readonly modes = SEARCH_MODES;
  protected readonly pages = formatPages;

  protected readonly form = new FormGroup({
    query: new FormControl('', { nonNullable: true }),
    mode: new FormControl<SearchMode>('hybrid', { nonNullable: true }),
    type: new FormControl<string[]>([], { nonNullable: true }),
    intent: new FormControl<string[]>([], { nonNullable: true }),
    tags: new FormControl('', { nonNullable: true }),
  });

  protected readonly searching = signal(false);
  protected readonly response = signal<SearchResponse | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    inject(VocabularyStore).load();
  }

  protected search(): void {
    const value = this.form.getRawValue();
    const query = value.query.trim();
    if (query === '') {
      this.error.set('Type what you are looking for.');
      return;
    }
    const tags = value.tags.split(',').map(normaliseTag).filter(Boolean);
    const request: SearchRequest = {
      query,
      mode: value.mode,
      top_k: 20,
      filters: {
        ...(value.type.length ? { type: value.type } : {}),
        ...(value.intent.length ? { intent: value.intent } : {}),
        ...(tags.length ? { tags } : {}),
      },
    };
    this.searching.set(true);
    this.error.set(null);
    this.api.search(this.tenant(), request).subscribe({
      next: (response) => {
        this.response.set(response);
        this.searching.set(false);
      },
      error: (error: unknown) => {
        this.error.set(readableError(error).message);
        this.searching.set(false);
      },
    });
  }

  /** Query parameters that open the entry at the cited document and page. */
  protected citation(result: SearchResult): Record<string, string | number> {
    return { document: result.document_id, chunk: result.position, ...(result.page_start !== null ? { page: result.page_start } : {}) };
  }

  protected sourceName(result: SearchResult): string {
    return result.filename ?? result.source_url ?? 'pasted text';
  }
}
