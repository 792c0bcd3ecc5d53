import { describe, expect, it } from 'vitest';

import { answerSegments } from './answer-segments';

describe('answerSegments', () => {
  it('splits text and citations', () => {
    expect(answerSegments('Leave is 25 days [1]. Carry-over is 5 [2][3].')).toEqual([
      { kind: 'text', text: 'Leave is 25 days ' },
      { kind: 'cite', number: 1 },
      { kind: 'text', text: '. Carry-over is 5 ' },
      { kind: 'cite', number: 2 },
      { kind: 'cite', number: 3 },
      { kind: 'text', text: '.' },
    ]);
  });

  it('reads grouped citations and leaves a half-streamed one as text', () => {
    expect(answerSegments('Both [1, 2] and [3')).toEqual([
      { kind: 'text', text: 'Both ' },
      { kind: 'cite', number: 1 },
      { kind: 'cite', number: 2 },
      { kind: 'text', text: ' and [3' },
    ]);
  });
});
