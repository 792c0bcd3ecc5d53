import { HttpBackend, HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { Subject } from 'rxjs';

import { APP_CONFIG, apiUrl } from '../app-config';

/** How often the health route is asked while the server is unreachable. */
export const RECHECK_INTERVAL_MS = 3000;

/**
 * Whether the backend answers. A request that cannot reach it (status 0, 502-504) marks it lost;
 * then GET /health is asked every few seconds until it answers, and `recovered` fires so pages
 * load again. The health calls bypass interceptors, so they never mark anything themselves.
 */
@Injectable({ providedIn: 'root' })
export class BackendStatus {
  private readonly http = new HttpClient(inject(HttpBackend));
  private readonly config = inject(APP_CONFIG);
  private readonly reachableSignal = signal(true);
  private readonly recoveredSubject = new Subject<void>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  readonly reachable = this.reachableSignal.asReadonly();
  readonly recovered = this.recoveredSubject.asObservable();

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      if (this.timer !== null) clearTimeout(this.timer);
    });
  }

  markLost(): void {
    if (!this.reachableSignal()) return;
    this.reachableSignal.set(false);
    this.schedule();
  }

  /** Asks the health route now (e.g. from a "Try again" button). */
  recheck(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.http.get(apiUrl(this.config, 'health')).subscribe({
      next: () => {
        this.reachableSignal.set(true);
        this.recoveredSubject.next();
      },
      error: () => this.schedule(),
    });
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.recheck();
    }, RECHECK_INTERVAL_MS);
  }
}
