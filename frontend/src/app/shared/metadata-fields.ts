import { KeyValuePipe } from '@angular/common';
import { ChangeDetectionStrategy, ChangeDetectorRef, Component, computed, effect, inject, input, signal } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { type MatChipInputEvent, MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { normaliseTag } from '@business-brain/contract';

import { VocabularyStore } from '../core/api/vocabulary-store';
import { metadataError, type MetadataForm } from './metadata-form';

/** Title, type, intent and tag chips of a knowledge entry, bound to a `MetadataForm`. */
@Component({
  selector: 'bb-metadata-fields',
  imports: [KeyValuePipe, ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatChipsModule],
  templateUrl: './metadata-fields.html',
  styleUrl: './metadata-fields.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MetadataFields {
  readonly form = input.required<MetadataForm>();
  /** Prefix for element ids, so two forms on a page do not clash. */
  readonly idPrefix = input('meta');
  /** Server-side problems by field (from a 400's details). */
  readonly serverErrors = input<Record<string, string>>({});

  protected readonly vocabulary = inject(VocabularyStore).vocabulary;
  protected readonly limits = computed(() => this.vocabulary().limits);
  protected readonly error = metadataError;
  protected readonly tagProblem = signal<string | null>(null);

  constructor() {
    // touched/validity changes made by the parent (markAllAsTouched on submit, reset) are not
    // signals: redraw on every event of the form so messages appear when the parent asks
    const changes = inject(ChangeDetectorRef);
    effect((onCleanup) => {
      const subscription = this.form().events.subscribe(() => changes.markForCheck());
      onCleanup(() => subscription.unsubscribe());
    });
  }

  protected addTag(event: MatChipInputEvent): void {
    const tags = this.form().controls.tags;
    const limits = this.limits();
    const added = event.value
      .split(',')
      .map(normaliseTag)
      .filter((tag) => tag !== '');
    this.tagProblem.set(null);
    const next = [...tags.value];
    for (const tag of added) {
      if (tag.length > limits.tag_max_length) {
        this.tagProblem.set(`Tags are at most ${limits.tag_max_length} characters.`);
      } else if (next.length >= limits.max_tags) {
        this.tagProblem.set(`At most ${limits.max_tags} tags.`);
      } else if (!next.includes(tag)) {
        next.push(tag);
      }
    }
    tags.setValue(next);
    tags.markAsDirty();
    event.chipInput.clear();
  }

  protected removeTag(tag: string): void {
    const tags = this.form().controls.tags;
    tags.setValue(tags.value.filter((t) => t !== tag));
    tags.markAsDirty();
  }
}
