import { decodeText } from '../../src/extraction/decode-text.js';
import { UnsupportedTypeError } from '../../src/extraction/extraction-errors.js';
import { normalizeText } from '../../src/extraction/normalize-text.js';
import { encodeSingleByte, utf16be, utf16le } from '../support/fixtures/text-fixtures.js';

const SAMPLE = 'Café naïve – “quotes” ‘single’ … 10 €, Ærøskøbing, Straße, 東京, emoji 🎉';

describe('decodeText', () => {
  it('decodes UTF-8 without a BOM', () => {
    expect(decodeText(Buffer.from(SAMPLE, 'utf8'))).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('decodes UTF-8 with a BOM and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, 'utf8')]);
    expect(decodeText(bytes)).toEqual({ text: SAMPLE, encoding: 'utf-8' });
  });

  it('decodes UTF-16 LE and BE marked by a BOM', () => {
    expect(decodeText(utf16le(SAMPLE))).toEqual({ text: SAMPLE, encoding: 'utf-16le' });
    expect(decodeText(utf16be(SAMPLE))).toEqual({ text: SAMPLE, encoding: 'utf-16be' });
  });

  it('refuses BOM-less UTF-16: without a BOM those zero bytes are binary data', () => {
    expect(() => decodeText(utf16le('plain ascii words here', false))).toThrow(UnsupportedTypeError);
  });

  it('decodes windows-1252, curly quotes and dashes included', () => {
    const text = 'café naïve – “quotes”';
    expect(decodeText(encodeSingleByte(text, 'windows-1252'))).toEqual({ text, encoding: 'windows-1252' });
  });

  it('decodes a longer windows-1252 text with €, ellipsis and apostrophes', () => {
    const text = 'L’été dernier, nous avons payé 12 € pour un café crème… C’était “très” cher – mais délicieux.\n'.repeat(5);
    expect(decodeText(encodeSingleByte(text, 'windows-1252'))).toEqual({ text, encoding: 'windows-1252' });
  });

  it('decodes ISO-8859-2 Polish text (chardet tells it from Western encodings by letter statistics)', () => {
    const text =
      'Zażółć gęślą jaźń. Łódź jest dużym miastem w Polsce, w którym mieszka wielu ludzi. ' +
      'Świetnie się tu żyje, a jesienią liście są złote. Szczęśliwy żółw pływa w źródlanej wodzie.\n';
    expect(decodeText(encodeSingleByte(text.repeat(3), 'iso-8859-2'))).toEqual({ text: text.repeat(3), encoding: 'iso-8859-2' });
  });

  it('uses a declared charset when the bytes are not UTF-8', () => {
    const text = 'Prosím, pošlete mi účet za září.';
    expect(decodeText(encodeSingleByte(text, 'windows-1250'), 'windows-1250')).toEqual({ text, encoding: 'windows-1250' });
  });

  it('ignores a declared charset when the bytes are valid UTF-8', () => {
    expect(decodeText(Buffer.from('naïve', 'utf8'), 'iso-8859-1')).toEqual({ text: 'naïve', encoding: 'utf-8' });
  });

  it('keeps nearly-valid UTF-8 as UTF-8 with a replacement character instead of mojibake', () => {
    const bytes = Buffer.concat([Buffer.from('Ünïcödé tëxt wïth äccënts ' + 'é'.repeat(20), 'utf8'), Buffer.from([0xff])]);
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text.startsWith('Ünïcödé tëxt')).toBe(true);
  });

  it('normalises newlines, strips NULs and control characters, keeps tabs, composes to NFC', () => {
    const decomposed = 'cafe\u0301';
    const filler = 'An ordinary paragraph of text that makes up most of the file. '.repeat(4);
    const bytes = Buffer.from(`line one\r\nline two\rline three\u0000\u0007\tend ${decomposed}\fnext page ${filler}`, 'utf8');
    expect(decodeText(bytes).text).toBe(`line one\nline two\nline three\tend café\nnext page ${filler}`);
  });

  it('treats one stray NUL in a short note as damage, not as binary', () => {
    expect(decodeText(Buffer.from('Hello\u0000 world', 'utf8')).text).toBe('Hello world');
  });

  it('refuses binary garbage instead of calling it text', () => {
    const garbage = Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256));
    expect(() => decodeText(garbage)).toThrow(UnsupportedTypeError);
  });

  it('refuses UTF-32, which TextDecoder cannot read', () => {
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00]))).toThrow('UTF-32');
  });
});

describe('normalizeText', () => {
  it('turns line and page separators into newlines so words do not run together', () => {
    expect(normalizeText('a\u2028b\u2029c\u0085d\ve')).toBe('a\nb\nc\nd\ne');
  });

  it('is idempotent', () => {
    const once = normalizeText('x\r\ny\u0000 e\u0301');
    expect(normalizeText(once)).toBe(once);
  });
});
