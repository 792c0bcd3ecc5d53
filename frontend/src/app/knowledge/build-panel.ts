import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

import { CreateKnowledge } from './create-knowledge';
import { KnowledgeList } from './knowledge-list';

/** The Build section: the form that adds knowledge above the list of what is there. */
@Component({
  selector: 'bb-build-panel',
  imports: [CreateKnowledge, KnowledgeList],
  template: `
    <bb-create-knowledge [tenant]="tenant()" (saved)="reloadToken.set(reloadToken() + 1)" />
    <bb-knowledge-list [tenant]="tenant()" [reloadToken]="reloadToken()" />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BuildPanel {
  readonly tenant = input.required<string>();
  protected readonly reloadToken = signal(0);
}
