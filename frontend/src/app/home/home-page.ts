import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  signal,
  viewChild,
  effect,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';

import { isTenantSlug } from '@business-brain/contract';

import { AuthSession } from '../core/auth/auth-session';
import type { Organisation } from '../core/auth/clerk-session';
import { RecentTenants } from '../core/recent-tenants';

/**
 * Landing page: what Business Brain is, and the way into an organisation's context builder: with
 * sign-in off, a tenant picker (recently opened ones, or any slug); with Clerk, sign-in and then
 * the user's organisations.
 */
@Component({
  selector: 'bb-home-page',
  imports: [RouterLink],
  templateUrl: './home-page.html',
  styleUrl: './home-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage {
  private readonly router = inject(Router);
  private readonly slugInput = viewChild<ElementRef<HTMLInputElement>>('slugInput');
  private readonly signIn = viewChild<ElementRef<HTMLDivElement>>('signIn');
  protected readonly session = inject(AuthSession);
  protected readonly recent = inject(RecentTenants).tenants;
  protected readonly organisations = signal<Organisation[] | null>(null);

  constructor() {
    effect(() => {
      const state = this.session.state();
      if (state.kind === 'clerk' && state.signedIn) {
        void this.session.organisations().then((list) => this.organisations.set(list));
      }
    });
    effect(() => {
      const target = this.signIn();
      if (target) this.session.mountSignIn(target.nativeElement);
    });
  }

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
      this.slugInput()?.nativeElement.focus();
      return;
    }
    void this.router.navigate(['/', this.slug().trim(), 'context-builder']);
  }
}
