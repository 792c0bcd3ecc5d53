import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';

import { appConfig } from '../app.config';

/** A router test harness wired with the real application providers (routes, zoneless, input binding). */
export async function createAppHarness(): Promise<RouterTestingHarness> {
  TestBed.configureTestingModule({ providers: appConfig.providers });
  return RouterTestingHarness.create();
}

/** Text content of the first element matching `selector` in the harness, trimmed. */
export function textOf(harness: RouterTestingHarness, selector: string): string {
  const root = harness.fixture.nativeElement as HTMLElement;
  return root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}
