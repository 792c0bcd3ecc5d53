/** Dimensions of the `embeddings.embedding_vector` column (`vector(1536)`). */
export const EMBEDDING_DIMENSIONS = 1536;

/**
 * How a vector travels as a bound parameter: `binary` is pgvector's wire format (int16 dimensions,
 * int16 unused, then big-endian float4s), which node-postgres sends in binary for a Buffer, so
 * neither side formats or parses ~20 KB of decimal text per vector; `text` is `[0.1,...]`, for
 * PGlite, whose driver would send a byte array as bytea.
 */
export type VectorEncoding = 'binary' | 'text';

/** A vector as a parameter for `${param}::vector`, after checking its size and that every value fits a float4. */
export function toVectorParam(values: readonly number[], encoding: VectorEncoding): string | Uint8Array {
  if (values.length !== EMBEDDING_DIMENSIONS) {
    throw new RangeError(`embedding must have ${EMBEDDING_DIMENSIONS} dimensions, got ${values.length}`);
  }
  if (encoding === 'text') {
    for (const value of values) if (!Number.isFinite(value)) throw new RangeError('embedding contains a non-finite value');
    return `[${values.join(',')}]`;
  }
  const bytes = Buffer.allocUnsafe(4 + 4 * values.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setInt16(0, values.length);
  view.setInt16(2, 0);
  for (let i = 0; i < values.length; i++) {
    const value = Math.fround(values[i] ?? Number.NaN);
    // also refuses doubles beyond float4's range, which would become Infinity
    if (!Number.isFinite(value)) throw new RangeError('embedding contains a non-finite value');
    view.setFloat32(4 + 4 * i, value);
  }
  return bytes;
}
