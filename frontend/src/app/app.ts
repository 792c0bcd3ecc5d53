import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { isTenantSlug } from '@business-brain/contract';
import { filter, map } from 'rxjs';

import { AuthSession } from './core/auth/auth-session';
import { BackendStatus } from './core/feedback/backend-status';

/** The tenant of a URL such as `/acme/context-builder/...`, or null outside a tenant's pages. */
export function tenantOfUrl(url: string): string | null {
  const [first, second] = url.split(/[?#]/)[0].split('/').filter(Boolean);
  return second === 'context-builder' && isTenantSlug(first) ? first : null;
}

/** Application shell: skip link, header (product, tenant, sign-in state), status banners, the routed page. */
@Component({
  selector: 'bb-root',
  imports: [RouterOutlet, RouterLink],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly router = inject(Router);
  protected readonly session = inject(AuthSession);
  protected readonly backend = inject(BackendStatus);
  private readonly userButton = viewChild<ElementRef<HTMLDivElement>>('userButton');

  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );

  /** Read from the URL on every navigation: never a value kept from an earlier page. */
  protected readonly tenant = computed(() => tenantOfUrl(this.url()));

  protected readonly signedIn = computed(() => {
    const state = this.session.state();
    return state.kind === 'clerk' && state.signedIn;
  });

  constructor() {
    effect(() => {
      const target = this.userButton();
      if (target && this.signedIn()) this.session.mountUserButton(target.nativeElement);
    });
  }
}
