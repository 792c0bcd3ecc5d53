import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';

import { isTenantSlug } from '../core/tenant-slug';

/** Landing page: what Business Brain is, and a field to jump to an organisation's context builder. */
@Component({
  selector: 'bb-home-page',
  templateUrl: './home-page.html',
  styleUrl: './home-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage {
  private readonly router = inject(Router);
  private readonly slugInput = viewChild.required<ElementRef<HTMLInputElement>>('slugInput');

  protected readonly slug = signal('');
  private readonly attempted = signal(false);

  /** The validation message for the current value, or `null` when it is a valid slug. */
  private readonly problem = computed(() => {
    const slug = this.slug().trim();
    if (slug === '') return 'Enter your organisation’s slug.';
    if (!isTenantSlug(slug)) {
      return 'Use only lowercase letters, digits and hyphens (not first or last), at most 64 characters, for example acme-corp.';
    }
    return null;
  });

  /** Errors appear only after a first submit, then follow the input live. */
  protected readonly error = computed(() => (this.attempted() ? this.problem() : null));

  protected openContextBuilder(event: Event): void {
    event.preventDefault();
    this.attempted.set(true);
    if (this.problem() !== null) {
      this.slugInput().nativeElement.focus();
      return;
    }
    void this.router.navigate(['/', this.slug().trim(), 'context-builder']);
  }
}
