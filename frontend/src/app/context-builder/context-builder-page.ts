import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/**
 * Placeholder for an organisation's context builder. The `tenant` input is bound from the
 * `:tenant` route parameter (router `withComponentInputBinding()`).
 */
@Component({
  selector: 'bb-context-builder-page',
  imports: [RouterLink],
  templateUrl: './context-builder-page.html',
  styleUrl: './context-builder-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContextBuilderPage {
  readonly tenant = input.required<string>();
}
