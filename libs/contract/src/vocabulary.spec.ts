import { normaliseTag } from './vocabulary.js';

describe('normaliseTag', () => {
  it.each([
    ['Sales', 'sales'],
    ['  customer success ', 'customer-success'],
    ['a\t b', 'a-b'],
    ['Cafe\u0301', 'café'],
  ])('%j becomes %j', (raw, tag) => {
    expect(normaliseTag(raw)).toBe(tag);
  });
});
