/** One line of the chunking benchmark's report. */
export interface ChunkingRow {
  label: string;
  chars: number;
  utf8Bytes: number;
  chunks: number;
  maxTokens: number;
  ms: number;
  cpuMs: number;
  charsPerSecond: number;
  tokenizedPerChar: number;
  segmentedPerChar: number;
}

const COLUMNS: [string, (row: ChunkingRow) => string][] = [
  ['text', (row) => row.label],
  ['chars', (row) => row.chars.toLocaleString('en-US')],
  ['UTF-8', (row) => `${(row.utf8Bytes / 1_000_000).toFixed(2)} MB`],
  ['chunks', (row) => row.chunks.toLocaleString('en-US')],
  ['max tokens', (row) => String(row.maxTokens)],
  ['ms', (row) => row.ms.toFixed(0)],
  ['CPU ms', (row) => row.cpuMs.toFixed(0)],
  ['chars/s', (row) => Math.round(row.charsPerSecond).toLocaleString('en-US')],
  ['tokenised/char', (row) => row.tokenizedPerChar.toFixed(2)],
  ['segmented/char', (row) => row.segmentedPerChar.toFixed(2)],
];

/** The rows as a Markdown table, numbers right-aligned. */
export function chunkingTable(rows: readonly ChunkingRow[]): string {
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => cell(row)));
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...cells.map((line) => line[i]?.length ?? 0)));
  const line = (values: string[]): string =>
    `| ${values.map((value, i) => (i === 0 ? value.padEnd(widths[i] ?? 0) : value.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (i === 0 ? `${'-'.repeat(width + 1)}-` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(COLUMNS.map(([title]) => title)), rule, ...cells.map(line)].join('\n');
}
