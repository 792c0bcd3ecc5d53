import { type AbstractControl, FormControl, FormGroup, type ValidatorFn, Validators } from '@angular/forms';
import { TITLE_MAX_LENGTH, type KnowledgeIntent, type KnowledgeMetadata, type KnowledgeType } from '@business-brain/contract';

export type MetadataForm = FormGroup<{
  title: FormControl<string>;
  type: FormControl<KnowledgeType | ''>;
  intent: FormControl<KnowledgeIntent | ''>;
  tags: FormControl<string[]>;
}>;

const required: ValidatorFn = (control) => Validators.required(control);

/** The metadata every source is described with: title (required), type and intent (the API's vocabularies), tags. */
export function metadataForm(initial?: Partial<KnowledgeMetadata>): MetadataForm {
  return new FormGroup({
    title: new FormControl(initial?.title ?? '', {
      nonNullable: true,
      validators: [required, Validators.maxLength(TITLE_MAX_LENGTH), notBlank],
    }),
    type: new FormControl<KnowledgeType | ''>(initial?.type ?? '', { nonNullable: true, validators: [required] }),
    intent: new FormControl<KnowledgeIntent | ''>(initial?.intent ?? '', { nonNullable: true, validators: [required] }),
    tags: new FormControl<string[]>(initial?.tags ?? [], { nonNullable: true }),
  });
}

function notBlank(control: AbstractControl<string>): { blank: true } | null {
  return control.value.length > 0 && control.value.trim() === '' ? { blank: true } : null;
}

/** The form's value as the API takes it; call only when the form is valid. */
export function metadataValue(form: MetadataForm): KnowledgeMetadata {
  const value = form.getRawValue();
  return { title: value.title.trim(), type: value.type as KnowledgeType, intent: value.intent as KnowledgeIntent, tags: value.tags };
}

/** The message to show under a metadata field, or null. */
export function metadataError(form: MetadataForm, field: 'title' | 'type' | 'intent'): string | null {
  const control = form.controls[field];
  if (!control.errors) return null;
  if (field === 'title') {
    if (control.hasError('required') || control.hasError('blank')) return 'Title is required.';
    if (control.hasError('maxlength')) return `Title must be at most ${TITLE_MAX_LENGTH} characters.`;
  }
  return field === 'type' ? 'Choose a type.' : 'Choose an intent.';
}
