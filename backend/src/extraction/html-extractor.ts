import { Readability } from '@mozilla/readability';

import { isElement, type DomDocument, type DomElement, type DomNode } from './dom-types.js';
import { ExtractionError } from './extraction-errors.js';
import { parseHtmlDocument } from './html-dom.js';
import { normalizeText } from './normalize-text.js';
import { renderStructuredText } from './structured-text.js';

export interface HtmlExtraction {
  text: string;
  title: string | null;
}

/** Never main content, wherever they sit. */
const CHROME = 'script, style, noscript, template, iframe, object, embed, nav, [role=navigation], [aria-hidden=true]';
/** Page chrome when outside the article; inside `<article>`/`<main>` a header or aside is content. */
const PAGE_CHROME = 'header, footer, aside, [role=banner], [role=contentinfo], [role=complementary]';

/**
 * Main content of an HTML page as structured text. Readability picks the article; when it finds
 * nothing, the body is used with the page chrome (menus, header, footer, sidebars) removed.
 */
export function extractHtml(html: string): HtmlExtraction {
  try {
    const document = parseHtmlDocument(html);
    const title = cleanTitle(document.querySelector('title')?.textContent ?? document.title);
    stripChrome(document);
    const lead = leadHeading(document);
    for (const el of Array.from(document.querySelectorAll(PAGE_CHROME))) {
      if (!el.closest('article, main, [role=main]')) el.remove();
    }
    const article = readArticle(document);
    let text = article ? normalizeText(renderStructuredText(article)).trim() : '';
    if (text && lead && !text.includes(lead)) text = `# ${lead}\n\n${text}`;
    if (!text) text = bodyText(html);
    return { text, title };
  } catch (error) {
    // A document nested deeply enough to overflow the stack is hostile or broken, not a bug of ours.
    if (error instanceof RangeError) throw new ExtractionError('corrupt', 'The HTML document is nested too deeply to be read.');
    throw error;
  }
}

/** The fallback: the whole body minus page chrome, from a fresh parse (Readability rewrites the document it reads). */
function bodyText(html: string): string {
  const document = parseHtmlDocument(html);
  stripChrome(document);
  for (const el of Array.from(document.querySelectorAll(PAGE_CHROME))) el.remove();
  const body = document.body ?? document.documentElement;
  return body ? normalizeText(renderStructuredText(body)).trim() : '';
}

function stripChrome(document: DomDocument): void {
  for (const el of Array.from(document.querySelectorAll(CHROME))) el.remove();
}

/**
 * Readability scores every element in several passes (about 0.1 ms per element over linkedom),
 * and its cost grows with the cube of nesting depth (1,000 nested divs: 6 s). Past these bounds
 * the page goes straight to the fallback. Real pages nest 15 to 60 deep.
 */
const READABILITY_MAX_ELEMENTS = 10_000;
const READABILITY_MAX_DEPTH = 150;

/** Readability's article, or null when it finds none, the page is too big for it, or it fails on odd markup. */
function readArticle(document: DomDocument): DomNode | null {
  // Counted here: Readability's own `maxElemsToParse` uses getElementsByTagName('*'), which linkedom answers with 0.
  if (document.querySelectorAll('*').length > READABILITY_MAX_ELEMENTS) return null;
  if (document.documentElement && depthExceeds(document.documentElement, READABILITY_MAX_DEPTH)) return null;
  try {
    // the options' Node is the DOM's, unknown without lib.dom: linkedom's nodes are what comes back
    const reader = new Readability<DomNode>(document, { serializer: (node: unknown) => node as DomNode });
    const article: { content?: DomNode | null; textContent?: string | null } | null = reader.parse();
    const content = article?.content;
    return content && (article.textContent ?? '').trim() ? content : null;
  } catch {
    return null;
  }
}

/** Whether any element sits more than `limit` levels below `root`; iterative, as the tree may be hostile. */
function depthExceeds(root: DomNode, limit: number): boolean {
  const stack: Array<[DomNode, number]> = [[root, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > limit) return true;
    for (const child of Array.from(node.childNodes)) if (isElement(child)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Readability drops the heading that repeats the page title; the page's single `<h1>` is kept
 * so the text says what it is about even when `<title>` is the site name.
 */
function leadHeading(document: DomDocument): string | null {
  const headings = Array.from(document.querySelectorAll('h1')).filter(
    (h: DomElement) => !h.closest(PAGE_CHROME) || h.closest('article, main, [role=main]'),
  );
  if (headings.length !== 1) return null;
  const text = normalizeText(headings[0]?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text || null;
}

function cleanTitle(raw: string | null | undefined): string | null {
  const title = normalizeText(raw ?? '').replace(/\s+/g, ' ').trim();
  return title || null;
}
