import { Injectable } from '@angular/core';

import { Toasts } from '../core/feedback/toasts';

/** Toasts that only record what would have been shown (no snack bar, no timers): `{ provide: Toasts, useExisting: RecordingToasts }`. */
@Injectable({ providedIn: 'root' })
export class RecordingToasts implements Pick<Toasts, 'success' | 'error'> {
  readonly successes: string[] = [];
  readonly errors: string[] = [];

  success(message: string): void {
    this.successes.push(message);
  }

  error(message: string): void {
    this.errors.push(message);
  }
}

export const provideRecordingToasts = () => [{ provide: Toasts, useExisting: RecordingToasts }];
