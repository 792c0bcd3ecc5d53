/** A contiguous run of inputs, [start, end), sent in one request. */
export interface Batch {
  start: number;
  end: number;
}

/**
 * Splits inputs, in order, into batches of at most `maxInputs` inputs and at most `maxTokens`
 * tokens (by `tokens`, an exact count or an upper bound per input). An input larger than
 * `maxTokens` on its own still gets a batch of its own: the per-input limit is checked elsewhere.
 */
export function planBatches(tokens: readonly number[], maxInputs: number, maxTokens: number): Batch[] {
  const batches: Batch[] = [];
  let start = 0;
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    const cost = tokens[i];
    if (i > start && (i - start >= maxInputs || total + cost > maxTokens)) {
      batches.push({ start, end: i });
      start = i;
      total = 0;
    }
    total += cost;
  }
  if (tokens.length > start) batches.push({ start, end: tokens.length });
  return batches;
}
