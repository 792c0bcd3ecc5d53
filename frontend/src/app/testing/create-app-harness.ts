import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { RouterTestingHarness } from '@angular/router/testing';

import { appConfig } from '../app.config';
import { authInterceptor } from '../core/auth/auth.interceptor';
import { FakeApi } from './fake-api';

/** A router test harness wired with the real application providers, the API answered by `api`. */
export async function createAppHarness(api = new FakeApi()): Promise<RouterTestingHarness> {
  TestBed.configureTestingModule({
    providers: [...appConfig.providers, provideHttpClient(withInterceptors([authInterceptor, api.interceptor]))],
  });
  return RouterTestingHarness.create();
}

/** Text content of the first element matching `selector` in the harness, trimmed. */
export function textOf(harness: RouterTestingHarness, selector: string): string {
  const root = harness.fixture.nativeElement as HTMLElement;
  return root.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}
