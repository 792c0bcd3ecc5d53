/**
 * Words drawn from `words` by a linear congruential generator started at `state`: the same state
 * always gives the same prose, so each benchmark file is distinct per seed and identical per run.
 */
export function seededWords(words: readonly string[], state: number): (count: number) => string {
  let x = state;
  const next = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  return (count) => Array.from({ length: count }, () => words[next() % words.length]).join(' ');
}
