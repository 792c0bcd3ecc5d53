import { Packer, type Document } from 'docx';

import { fixZipTimes } from './fixed-zip-times.js';
import { CORPUS_DATE } from './fixed-date.js';

/** The bytes of `doc`, the same on every run: fixed core-property dates and zip member times. */
export async function packDocx(doc: Document, title: string): Promise<Buffer> {
  const bytes = await Packer.toBuffer(doc, false, [{ path: 'docProps/core.xml', data: coreXml(title) }]);
  return fixZipTimes(bytes, CORPUS_DATE);
}

/** docx's own core properties, with CORPUS_DATE where it writes the clock's. */
function coreXml(title: string): string {
  const date = CORPUS_DATE.toISOString().replace('.000', '');
  const escaped = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escaped}</dc:title><dc:creator>Business Brain bench corpus</dc:creator><cp:lastModifiedBy>Business Brain bench corpus</cp:lastModifiedBy>` +
    `<cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">${date}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${date}</dcterms:modified></cp:coreProperties>`
  );
}
