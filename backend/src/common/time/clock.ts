import { Injectable } from '@nestjs/common';

/**
 * The wall clock, as a provider: code whose behaviour depends on the time of day (rate-limit
 * windows) reads it here, so a test can set the time instead of waiting for it.
 */
@Injectable()
export class Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }
}
