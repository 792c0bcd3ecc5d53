import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, signal } from '@angular/core';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import type { ContextSource } from '@business-brain/contract';

import { KnowledgeStreams } from '../core/api/knowledge-streams';
import { formatPages } from '../shared/format';
import { answerSegments } from './answer-segments';

/** Ask a question; the answer streams in as it is written, its citations open the cited entry and page. */
@Component({
  selector: 'bb-ask-page',
  imports: [ReactiveFormsModule, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatProgressBarModule],
  templateUrl: './ask-page.html',
  styleUrl: './ask-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AskPage {
  readonly tenant = input.required<string>();

  private readonly streams = inject(KnowledgeStreams);
  protected readonly question = new FormControl('', { nonNullable: true });
  protected readonly pages = formatPages;

  protected readonly asking = signal(false);
  protected readonly answer = signal('');
  protected readonly sources = signal<ContextSource[]>([]);
  protected readonly citations = signal<ContextSource[]>([]);
  protected readonly extractive = signal(false);
  protected readonly model = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly asked = signal(false);
  protected readonly segments = computed(() => answerSegments(this.answer()));

  private controller: AbortController | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.controller?.abort());
  }

  protected source(number: number): ContextSource | undefined {
    return this.sources()[number - 1];
  }

  protected link(source: ContextSource): Record<string, string | number> {
    return { document: source.document_id, ...(source.page_start !== null ? { page: source.page_start } : {}) };
  }

  protected label(source: ContextSource): string {
    const name = source.filename ?? source.source_url ?? source.title;
    const pages = formatPages(source.page_start, source.page_end);
    return pages ? `${name}, ${pages}` : name;
  }

  protected stop(): void {
    this.controller?.abort();
  }

  protected async ask(): Promise<void> {
    const question = this.question.value.trim();
    if (question === '') {
      this.error.set('Type a question.');
      return;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.asked.set(true);
    this.asking.set(true);
    this.error.set(null);
    this.answer.set('');
    this.sources.set([]);
    this.citations.set([]);
    this.extractive.set(false);
    this.model.set(null);
    try {
      for await (const event of this.streams.answer(this.tenant(), { question }, controller.signal)) {
        switch (event.event) {
          case 'context':
            this.sources.set(event.data.sources);
            this.extractive.set(event.data.extractive);
            this.model.set(event.data.model);
            break;
          case 'delta':
            this.answer.update((text) => text + event.data.text);
            break;
          case 'citations':
            this.citations.set(event.data.citations);
            break;
          case 'done':
            this.model.set(event.data.model);
            break;
          case 'error':
            this.error.set(`The answer stopped: ${event.data.message}`);
            break;
        }
      }
    } catch (error) {
      this.error.set(error instanceof Error ? error.message : 'The answer could not be loaded.');
    } finally {
      if (this.controller === controller) {
        this.asking.set(false);
        this.controller = null;
      }
    }
  }
}
