export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Records looked at to guess the delimiter. */
const SAMPLE_RECORDS = 50;
/** Share of sampled records that must have the header's field count. */
const MIN_CONSISTENCY = 0.9;

/**
 * The delimiter that splits the first records into the same number (>= 2) of fields, counting
 * only delimiters outside double quotes (a quoted field may hold delimiters and newlines). Null
 * when no candidate is consistent, i.e. the text is not delimited data. Ties go to the candidate
 * giving more fields, then to list order.
 */
export function sniffDelimiter(text: string): CsvDelimiter | null {
  let best: { delimiter: CsvDelimiter; fields: number } | null = null;
  for (const delimiter of CSV_DELIMITERS) {
    const records = splitRecords(text, delimiter, SAMPLE_RECORDS);
    if (records.length < 2) continue;
    const [header, ...rest] = records;
    if (!header || header.length < 2 || header.some((field) => field.trim() === '')) continue;
    const consistent = rest.filter((fields) => fields.length === header.length).length;
    if (consistent / rest.length < MIN_CONSISTENCY) continue;
    if (!best || header.length > best.fields) best = { delimiter, fields: header.length };
  }
  return best?.delimiter ?? null;
}

/** A quote-aware split of the first `max` non-blank records; only as exact as guessing needs. */
function splitRecords(text: string, delimiter: string, max: number): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0]?.trim()) records.push(fields);
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length && records.length < max; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') i++;
      else if (char === '"') quoted = false;
      field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else if (char === '\n') {
      endRecord();
    } else {
      field += char;
    }
  }
  // The sample may end mid-record; only a complete file's last record counts.
  if (records.length < max && (field || fields.length)) endRecord();
  return records;
}
