import { Injectable, signal } from '@angular/core';
import { isTenantSlug } from '@business-brain/contract';

const KEY = 'bb.recent-tenants';
const KEEP = 6;

/** Organisations opened recently in this browser (for the development-mode tenant picker), newest first. */
@Injectable({ providedIn: 'root' })
export class RecentTenants {
  private readonly list = signal<string[]>(read());
  readonly tenants = this.list.asReadonly();

  remember(slug: string): void {
    const next = [slug, ...this.list().filter((s) => s !== slug)].slice(0, KEEP);
    this.list.set(next);
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // storage full or disabled: the list lives for this page only
    }
  }
}

function read(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter(isTenantSlug).slice(0, KEEP) : [];
  } catch {
    return [];
  }
}
