import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import PDFDocument from 'pdfkit';

export const FIXTURES = mkdtempSync(join(tmpdir(), 'bb-e2e-files-'));

/** A two-page PDF whose first page holds the leave policy (the text the search tests look for). */
export function handbookPdf(): Promise<string> {
  const path = join(FIXTURES, 'handbook.pdf');
  return new Promise((done, fail) => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('error', fail);
    doc.on('end', () => {
      writeFileSync(path, Buffer.concat(chunks));
      done(path);
    });
    doc.fontSize(18).text('Employee handbook');
    doc.fontSize(12).text('New employees receive twenty-five days of paid annual leave per calendar year. Leave requests go to your manager.');
    doc.addPage().text('Travel expenses are reimbursed within thirty days when submitted with a receipt through the finance portal.');
    doc.end();
  });
}

/** A Windows executable's first bytes under an .exe name. */
export function executable(): string {
  const path = join(FIXTURES, 'setup.exe');
  writeFileSync(path, Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]));
  return path;
}
