import { ChangeDetectionStrategy, Component, ElementRef, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { AuthSession } from '../core/auth/auth-session';
import { RecentTenants } from '../core/recent-tenants';

type Access = 'checking' | 'granted' | 'sign-in' | 'not-member' | 'unavailable';

/**
 * The context builder of one organisation: navigation between building, searching and asking,
 * and the routed panel. The tenant is bound from the URL; with Clerk on, the page opens only
 * when the signed-in user belongs to that organisation, which then becomes the active one.
 */
@Component({
  selector: 'bb-context-builder-page',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatTabsModule],
  templateUrl: './context-builder-page.html',
  styleUrl: './context-builder-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContextBuilderPage {
  readonly tenant = input.required<string>();

  protected readonly session = inject(AuthSession);
  protected readonly access = signal<Access>('checking');
  private readonly recent = inject(RecentTenants);
  private readonly signIn = viewChild<ElementRef<HTMLDivElement>>('signIn');

  constructor() {
    effect(() => {
      const state = this.session.state();
      const tenant = this.tenant();
      if (state.kind === 'loading') this.access.set('checking');
      else if (state.kind === 'development') this.access.set('granted');
      else if (state.kind === 'unavailable') this.access.set('unavailable');
      else if (!state.signedIn) this.access.set('sign-in');
      else {
        this.access.set('checking');
        void untracked(() => this.session.activate(tenant)).then((member) => this.access.set(member ? 'granted' : 'not-member'));
      }
    });
    effect(() => {
      const [access, tenant] = [this.access(), this.tenant()];
      if (access === 'granted') untracked(() => this.recent.remember(tenant));
    });
    effect(() => {
      const target = this.signIn();
      if (target) this.session.mountSignIn(target.nativeElement);
    });
  }

  protected retry(): void {
    void this.session.start();
  }
}
