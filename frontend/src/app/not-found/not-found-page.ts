import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

/** Shown for any URL no other route matches. */
@Component({
  selector: 'bb-not-found-page',
  imports: [RouterLink],
  template: `
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>There is nothing at this address.</p>
      <p><a routerLink="/">Go to the home page</a></p>
    </section>
  `,
  styles: `
    h1 {
      margin: 0 0 0.5rem;
      font-size: 1.75rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}
