import { isElement, TEXT_NODE, type DomElement, type DomNode } from './dom-types.js';

/**
 * Renders a DOM subtree as Markdown-like text that keeps the structure search and chunking care
 * about: `# Heading`, `- item` / `1. item` (nested lists indented), tables as `| a | b |` rows,
 * `> ` quotes, paragraphs separated by a blank line. Used for HTML pages and for mammoth's DOCX HTML.
 */
export function renderStructuredText(root: DomNode): string {
  return renderBlocks(root).join('\n\n');
}

/** Never content: scripts, styles, embedded objects, form chrome. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'head', 'select', 'button']);

const BLOCKS = new Set([
  'address', 'article', 'aside', 'body', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'header', 'hgroup', 'html', 'legend', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'blockquote', 'hr', 'caption',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);

/** Stands for a `<br>` while inline whitespace is collapsed; turned into `\n` afterwards. */
const LINE_BREAK = '\u2028';

const tagOf = (el: DomElement): string => el.tagName.toLowerCase();

function renderBlocks(parent: DomNode): string[] {
  const blocks: string[] = [];
  let inline = '';
  const flush = (): void => {
    const text = finishInline(inline);
    if (text) blocks.push(text);
    inline = '';
  };

  for (const child of Array.from(parent.childNodes)) {
    if (child.nodeType === TEXT_NODE) {
      inline += child.textContent ?? '';
      continue;
    }
    if (!isElement(child)) continue;
    const tag = tagOf(child);
    if (SKIPPED.has(tag)) continue;

    if (tag === 'br') {
      inline += LINE_BREAK;
    } else if (!BLOCKS.has(tag)) {
      // An inline element (a, strong, span...) normally just adds text; one that wraps blocks is rendered as blocks.
      if (containsBlock(child)) {
        flush();
        blocks.push(...renderBlocks(child));
      } else {
        inline += rawInline(child);
      }
    } else {
      flush();
      const block = renderBlock(child, tag);
      if (block !== null) blocks.push(...block);
    }
  }
  flush();
  return blocks;
}

function renderBlock(el: DomElement, tag: string): string[] | null {
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) {
    const text = finishInline(rawInline(el)).replace(/\n+/g, ' ');
    return text ? [`${'#'.repeat(Number(heading[1]))} ${text}`] : null;
  }
  switch (tag) {
    case 'ul':
    case 'ol': {
      const list = renderList(el, tag === 'ol');
      return list ? [list] : null;
    }
    case 'table': {
      const table = renderTable(el);
      return table ? [table] : null;
    }
    case 'pre': {
      const text = (el.textContent ?? '').replace(/^\n+|\s+$/g, '');
      return text ? [text] : null;
    }
    case 'blockquote': {
      const inner = renderBlocks(el).join('\n\n');
      return inner ? [inner.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n')] : null;
    }
    case 'hr':
      return null;
    default:
      return renderBlocks(el);
  }
}

function renderList(list: DomElement, ordered: boolean): string {
  const start = Number.parseInt(list.getAttribute('start') ?? '1', 10);
  let number = Number.isFinite(start) ? start : 1;
  const items: string[] = [];
  for (const child of Array.from(list.childNodes)) {
    if (!isElement(child)) continue;
    const tag = tagOf(child);
    if (tag === 'ul' || tag === 'ol') {
      // Invalid but common: a nested list directly inside the list instead of inside an item.
      const nested = renderList(child, tag === 'ol');
      if (nested) items.push(indent(nested, '  '));
      continue;
    }
    if (tag !== 'li') continue;
    const marker = ordered ? `${number++}. ` : '- ';
    const body = renderBlocks(child).join('\n');
    if (!body) continue;
    const [first = '', ...rest] = body.split('\n');
    items.push([marker + first, ...rest.map((line) => (line ? ' '.repeat(marker.length) + line : line))].join('\n'));
  }
  return items.join('\n');
}

function renderTable(table: DomElement): string {
  const rows: string[][] = [];
  for (const row of ownRows(table)) {
    const cells = Array.from(row.childNodes)
      .filter((c): c is DomElement => isElement(c) && (tagOf(c) === 'td' || tagOf(c) === 'th'))
      .map((cell) => renderBlocks(cell).join(' ').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim());
    if (cells.some((c) => c !== '')) rows.push(cells);
  }
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const line = (cells: string[]): string =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [header = [], ...body] = rows;
  // The separator makes the first row a Markdown header row, which is how most tables are laid out.
  return [line(header), line(Array.from({ length: width }, () => '---')), ...body.map(line)].join('\n');
}

/** The rows of this table only (not of tables nested in its cells), in document order. */
function ownRows(table: DomElement): DomElement[] {
  const rows: DomElement[] = [];
  for (const child of Array.from(table.childNodes)) {
    if (!isElement(child)) continue;
    const tag = tagOf(child);
    if (tag === 'tr') rows.push(child);
    else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') {
      for (const row of Array.from(child.childNodes)) if (isElement(row) && tagOf(row) === 'tr') rows.push(row);
    }
  }
  return rows;
}

function containsBlock(el: DomElement): boolean {
  return Array.from(el.childNodes).some((c) => isElement(c) && (BLOCKS.has(tagOf(c)) || containsBlock(c)));
}

/** The text of an inline subtree, whitespace not yet collapsed; `<br>` becomes LINE_BREAK, images their alt text. */
function rawInline(node: DomNode): string {
  if (node.nodeType === TEXT_NODE) return node.textContent ?? '';
  if (!isElement(node)) return '';
  const tag = tagOf(node);
  if (SKIPPED.has(tag)) return '';
  if (tag === 'br') return LINE_BREAK;
  if (tag === 'img') return ` ${node.getAttribute('alt') ?? ''} `;
  const inner = Array.from(node.childNodes).map(rawInline).join('');
  return BLOCKS.has(tag) ? ` ${inner} ` : inner;
}

/** HTML whitespace rules: runs of whitespace are one space; `<br>` is a line break. */
function finishInline(text: string): string {
  return text
    .replace(/[ \t\n\r\f]+/g, ' ')
    .replace(/ ?\u2028 ?/g, '\n')
    .replace(/^\n+|\n+$/g, '')
    .trim();
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n');
}
