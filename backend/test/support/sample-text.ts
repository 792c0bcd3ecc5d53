const WORDS = (
  'invoice refund policy customer warranty shipping delivery returns onboarding payroll security password ' +
  'incident escalation support ticket pricing discount contract renewal compliance audit privacy retention ' +
  'backup recovery deployment release roadmap feature training handbook manager approval expense travel'
).split(' ');

/** Deterministic prose: `sections` Markdown sections of `paragraphs` paragraphs each. */
export function sampleMarkdown(seed: number, sections = 4, paragraphs = 4): string {
  let x = seed * 7919 + 13;
  const next = (): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x;
  };
  const sentence = (): string => {
    const n = 8 + (next() % 10);
    const words = Array.from({ length: n }, () => WORDS[next() % WORDS.length] ?? 'word');
    const s = words.join(' ');
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
  };
  const out: string[] = [];
  for (let s = 0; s < sections; s++) {
    out.push(`# Section ${seed}.${s + 1}`);
    for (let p = 0; p < paragraphs; p++) out.push(Array.from({ length: 5 }, sentence).join(' '));
  }
  return out.join('\n\n');
}
