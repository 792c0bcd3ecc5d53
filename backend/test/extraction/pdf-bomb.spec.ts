import { deflateSync } from 'node:zlib';

import { extractDocument } from '../../src/extraction/extract-document.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/extraction/extraction-limits.js';
import { decodedSize } from '../../src/extraction/pdf-stream-filters.js';
import { pdfStreams } from '../../src/extraction/pdf-streams.js';
import { deflatedZeros, makePdf, makePdfBomb, makeRawPdf } from '../support/fixtures/pdf-fixtures.js';

const MB = 1024 * 1024;

describe('PDF bombs', () => {
  let bomb: Buffer;
  beforeAll(async () => {
    // the file: a page whose content stream inflates to 500 MB (zeros, which PDF reads as whitespace)
    bomb = await makePdfBomb(500 * MB);
  });

  it('refuses a content stream inflating to 500 MB as a possible bomb, before pdf.js decodes it', async () => {
    expect(bomb.length).toBeLessThan(MB);
    await expect(extractDocument(bomb, { filename: 'report.pdf' }, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({
      name: 'ExtractionError',
      code: 'too_large',
      message: expect.stringMatching(/implausible size \(a possible PDF bomb\)/),
    });
  });

  it('refuses a PDF whose streams unpack to more than MAX_PDF_UNCOMPRESSED_BYTES, and reads it under that', async () => {
    // 2 MB of zeros: far from the bomb ratio's 10 MB floor, so only the total decides
    const pdf = await makePdfBomb(2 * MB, 'Within limits');
    await expect(extractDocument(pdf, {}, { ...DEFAULT_EXTRACTION_LIMITS, maxPdfUncompressedBytes: MB })).rejects.toMatchObject({
      code: 'too_large',
      message: 'The PDF unpacks to more than the 1 MB limit.',
    });
    const doc = await extractDocument(pdf, {}, { ...DEFAULT_EXTRACTION_LIMITS, maxPdfUncompressedBytes: 3 * MB });
    expect(doc.text).toBe('Within limits');
  });

  it('counts a bomb behind a chain of filters, and reads a stream by its /Length', async () => {
    const zeros = await deflatedZeros(64 * MB);
    const hexThenFlate = makeRawPdf('Chained', [{ dictionary: '/Filter [/ASCIIHexDecode /FlateDecode]', data: Buffer.from(`${zeros.toString('hex')}>`) }]);
    await expect(extractDocument(hexThenFlate, {}, DEFAULT_EXTRACTION_LIMITS)).rejects.toMatchObject({ code: 'too_large', message: /bomb/ });
    // a stream pdf.js would find through its /Length even with `endstream` planted inside its data
    const planted = Buffer.concat([Buffer.from('\nendstream\n'), zeros]);
    const withIndirect = makeRawPdf('Indirect', [{ dictionary: '/Filter /FlateDecode', data: planted }]);
    const [, stream] = [...pdfStreams(withIndirect)];
    expect(stream?.data.length).toBe(planted.length);
  });

  it('decodes LZW, run-length, ASCII85 and ASCIIHex sizes as pdf.js would', async () => {
    const stream = (filters: string[], data: Buffer | string, earlyChange = 1) => ({
      filters,
      image: false,
      earlyChange,
      data: typeof data === 'string' ? Buffer.from(data, 'latin1') : data,
    });
    // the PDF reference's LZW example: "-----A---B"
    expect(await decodedSize(stream(['LZWDecode'], Buffer.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01])), 100)).toBe(10);
    // 3 literal bytes, then one byte repeated 128 times, then the end
    expect(await decodedSize(stream(['RunLengthDecode'], Buffer.from([2, 65, 66, 67, 129, 0x20, 128])), 1000)).toBe(131);
    expect(await decodedSize(stream(['ASCII85Decode'], '87cURD]i,"Ebo80~>'), 100)).toBe('Hello world!'.length);
    expect(await decodedSize(stream(['ASCII85Decode'], 'zz~>'), 100)).toBe(8);
    expect(await decodedSize(stream(['ASCIIHexDecode', 'FlateDecode'], `${deflateSync(Buffer.alloc(5000)).toString('hex')}>`), 10_000)).toBe(5000);
    // counting stops just past the limit
    expect(await decodedSize(stream(['FlateDecode'], deflateSync(Buffer.alloc(5000))), 1000)).toBe(1001);
    // an image's own codec is never decoded: what it is given counts
    expect(await decodedSize(stream(['DCTDecode'], Buffer.alloc(300)), 100)).toBe(300);
  });

  it('still reads ordinary PDFs, images and all', async () => {
    const pdf = await makePdf({ pages: ['An ordinary page of text.'] });
    expect((await extractDocument(pdf, {}, DEFAULT_EXTRACTION_LIMITS)).text).toBe('An ordinary page of text.');
  });
});
