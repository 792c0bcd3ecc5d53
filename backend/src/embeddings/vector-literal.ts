/** Dimensions of the `embeddings.embedding_vector` column (`vector(1536)`). */
export const EMBEDDING_DIMENSIONS = 1536;

/**
 * pgvector's text form, `[0.1,0.2,...]`, sent as a bound parameter and cast with `::vector`.
 * Validates first: a wrong size or a NaN would otherwise surface as an opaque SQL error.
 */
export function toVectorLiteral(values: readonly number[]): string {
  if (values.length !== EMBEDDING_DIMENSIONS) {
    throw new RangeError(`embedding must have ${EMBEDDING_DIMENSIONS} dimensions, got ${values.length}`);
  }
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError('embedding contains a non-finite value');
  }
  return `[${values.join(',')}]`;
}
