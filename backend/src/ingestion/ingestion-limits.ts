/** Backoff before retry number `attempt` (1-based) after a transient failure: exponential, capped, with full jitter. */
export function retryDelayMs(attempt: number, baseMs = 2_000, capMs = 5 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
