import type { HttpInterceptorFn } from '@angular/common/http';
import { defer, from, switchMap } from 'rxjs';

/**
 * An interceptor (put it before the FakeApi's) that holds matching requests until `release()`,
 * so a test can see a component while its request is in flight.
 */
export class RequestGate {
  private releaseAll: () => void = () => undefined;
  private gate: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly matches: (method: string, url: string) => boolean = () => true) {}

  /** Holds matching requests from now on. */
  close(): this {
    this.closed = true;
    this.gate = new Promise((resolve) => (this.releaseAll = resolve));
    return this;
  }

  /** Lets the held requests (and later ones) through. */
  release(): void {
    this.closed = false;
    this.releaseAll();
  }

  readonly interceptor: HttpInterceptorFn = (request, next) =>
    defer(() => (this.closed && this.matches(request.method, request.url) ? from(this.gate).pipe(switchMap(() => next(request))) : next(request)));
}
