import { EMBEDDING_DIMENSIONS, toVectorParam } from '../../src/embeddings/vector-param.js';

const vector = (fill: (i: number) => number): number[] => Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => fill(i));

describe('toVectorParam', () => {
  it('binary: pgvector wire format, int16 dimensions, int16 zero, big-endian float4s', () => {
    const values = vector((i) => (i === 0 ? 0.5 : i === 1 ? -2 : i === 1535 ? 1e-3 : 0));
    const bytes = Buffer.from(toVectorParam(values, 'binary') as Uint8Array);
    expect(bytes.length).toBe(4 + 4 * EMBEDDING_DIMENSIONS);
    expect(bytes.readInt16BE(0)).toBe(EMBEDDING_DIMENSIONS);
    expect(bytes.readInt16BE(2)).toBe(0);
    expect(bytes.readFloatBE(4)).toBe(0.5);
    expect(bytes.readFloatBE(8)).toBe(-2);
    expect(bytes.readFloatBE(4 + 4 * 1535)).toBe(Math.fround(1e-3));
    expect(Buffer.isBuffer(toVectorParam(values, 'binary'))).toBe(true); // node-postgres sends a Buffer in binary format
  });

  it('text: the bracketed literal', () => {
    const literal = toVectorParam(vector((i) => (i === 0 ? 0.25 : 0)), 'text') as string;
    expect(literal.startsWith('[0.25,0,0')).toBe(true);
    expect(literal.endsWith(']')).toBe(true);
  });

  it.each(['binary', 'text'] as const)('%s: refuses a wrong size, NaN and infinities before SQL sees them', (encoding) => {
    expect(() => toVectorParam([1, 2, 3], encoding)).toThrow(/1536 dimensions/);
    expect(() => toVectorParam(vector((i) => (i === 3 ? Number.NaN : 0)), encoding)).toThrow(/non-finite/);
    expect(() => toVectorParam(vector((i) => (i === 3 ? Number.POSITIVE_INFINITY : 0)), encoding)).toThrow(/non-finite/);
  });

  it('binary: refuses a double too large for a float4 instead of storing Infinity', () => {
    expect(() => toVectorParam(vector((i) => (i === 0 ? 1e39 : 0)), 'binary')).toThrow(/non-finite/);
  });
});
