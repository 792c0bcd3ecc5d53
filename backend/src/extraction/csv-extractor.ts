import { parse } from 'csv-parse/sync';

import { sniffDelimiter } from './csv-dialect.js';
import { textTooLarge } from './text-limit.js';

export interface CsvExtraction {
  /** False when the data could not be parsed and the text is returned as it was. */
  parsed: boolean;
  text: string;
}

/**
 * Delimited data as searchable text: a `Columns:` line, then one line per row naming each value's
 * column (`name: Ada | city: London`), so any chunk of rows still says what its values mean.
 * Empty values are left out.
 * Data csv-parse cannot make sense of is kept as plain text rather than refused.
 */
export function extractCsv(text: string, maxTextChars: number): CsvExtraction {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text) ?? ',',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch {
    return { parsed: false, text };
  }
  if (records.length === 0) return { parsed: true, text: '' };
  const [first = [], ...rest] = records;
  const hasHeader = looksLikeHeader(first);
  const rows = hasHeader ? rest : records;
  const width = Math.max(0, ...records.map((r) => r.length));
  const columns = Array.from({ length: width }, (_, i) => (hasHeader && first[i]) || `column ${i + 1}`);

  const lines = [`Columns: ${columns.join(' | ')}`];
  let length = lines[0]?.length ?? 0;
  for (const row of rows) {
    const line = row
      .map((value, i) => [columns[i] ?? `column ${i + 1}`, value.replace(/\s*\n\s*/g, ' ')] as const)
      .filter(([, value]) => value !== '')
      .map(([column, value]) => `${column}: ${value}`)
      .join(' | ');
    if (!line) continue;
    length += line.length + 1;
    if (length > maxTextChars) throw textTooLarge(maxTextChars);
    lines.push(line);
  }
  return { parsed: true, text: lines.join('\n') };
}

/** A header row names columns: every cell filled, none a number, no name repeated. */
function looksLikeHeader(row: readonly string[]): boolean {
  if (row.length === 0 || row.some((cell) => cell === '' || /^[-+]?[\d.,]+%?$/.test(cell))) return false;
  return new Set(row).size === row.length;
}
