import { describe, expect, it } from 'vitest';

import { DEFAULT_VOCABULARY } from '../core/api/vocabulary-store';
import { checkFiles, perFileProgress } from './file-checks';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);
const vocabulary = { ...DEFAULT_VOCABULARY, limits: { ...DEFAULT_VOCABULARY.limits, max_file_bytes: 1000, max_files: 2 } };

describe('checkFiles', () => {
  it('accepts documents of the accepted types', () => {
    const result = checkFiles([file('a.pdf', 10), file('B.DOCX', 10)], [], vocabulary);
    expect(result.accepted.map((f) => f.name)).toEqual(['a.pdf', 'B.DOCX']);
    expect(result.problems).toEqual([]);
  });

  it('refuses an executable, naming the accepted types', () => {
    const result = checkFiles([file('setup.exe', 10)], [], vocabulary);
    expect(result.accepted).toEqual([]);
    expect(result.problems[0]).toMatch(/^setup\.exe: this file type is not accepted\. Upload PDF, DOCX/);
  });

  it('refuses files too large, empty, chosen twice or over the count', () => {
    const chosen = [file('one.txt', 5)];
    const result = checkFiles([file('big.pdf', 1001), file('empty.md', 0), file('one.txt', 5), file('two.txt', 5), file('three.txt', 5)], chosen, vocabulary);
    expect(result.accepted.map((f) => f.name)).toEqual(['two.txt']);
    expect(result.problems).toEqual([
      'big.pdf is 1001 bytes; files may be at most 1000 bytes.',
      'empty.md is empty.',
      'one.txt is already chosen.',
      'three.txt: at most 2 files per upload.',
    ]);
  });
});

describe('perFileProgress', () => {
  it('fills the files in the order they are sent', () => {
    const files = [file('a.txt', 100), file('b.txt', 300)];
    expect(perFileProgress(files, 0, 400)).toEqual([0, 0]);
    expect(perFileProgress(files, 50, 400)).toEqual([50, 0]);
    expect(perFileProgress(files, 250, 400)).toEqual([100, 50]);
    expect(perFileProgress(files, 400, 400)).toEqual([100, 100]);
  });

  it('spreads the form overhead over the files', () => {
    const files = [file('a.txt', 100), file('b.txt', 100)];
    expect(perFileProgress(files, 300, 300)).toEqual([100, 100]);
    expect(perFileProgress(files, 150, 300)).toEqual([100, 0]);
  });
});
