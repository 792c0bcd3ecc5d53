const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A number, or a size as formatBytes writes it. */
const QUANTITY = /^\d+(\.\d+)?( [KMGT]?i?B)?$/;

/** Columns padded to their widest cell; quantities (and headers over them) aligned right. */
export function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const numeric = headers.map((_, column) => rows.length > 0 && rows.every((row) => QUANTITY.test(String(row[column] ?? ''))));
  const cells = [headers, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Counts arrive as number (PGlite), string (pg's int8) or bigint. */
export const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
