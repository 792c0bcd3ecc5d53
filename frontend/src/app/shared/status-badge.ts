import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

const LABELS: Record<string, string> = {
  queued: 'Queued',
  processing: 'Processing',
  ready: 'Ready',
  failed: 'Failed',
  partial: 'Partly failed',
};

/** An entry's or document's status as a coloured label (text, not colour alone, carries the meaning). */
@Component({
  selector: 'bb-status-badge',
  template: `<span class="badge" [class]="'badge status-' + status()" data-testid="status">{{ label() }}</span>`,
  styles: `
    .badge { display: inline-block; padding: 0.125rem 0.5rem; border-radius: 999px; font-size: 0.8125rem; font-weight: 600; white-space: nowrap; }
    .status-queued { background: #eceff3; color: #303a48; }
    .status-processing { background: #e3ebf8; color: #174a96; }
    .status-ready { background: #dcf1e3; color: #14532d; }
    .status-failed { background: #fde7e6; color: #8c1d16; }
    .status-partial { background: #fff1d6; color: #6b4700; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusBadge {
  readonly status = input.required<string>();
  protected readonly label = computed(() => LABELS[this.status()] ?? this.status());
}
