import { buildSnippet, escapeHtml, SNIPPET_CHARS } from '../../src/search/snippet.js';

describe('buildSnippet', () => {
  it('marks the words the query matches, by stem and case-insensitively', () => {
    expect(buildSnippet('Employees receive paid Leave each year.', 'leaves employee')).toBe('<mark>Employees</mark> receive paid <mark>Leave</mark> each year.');
  });

  it('escapes everything that is not a mark', () => {
    const snippet = buildSnippet('Never run <script>alert("x & y")</script> from mail', 'script');
    expect(snippet).toBe('Never run &lt;<mark>script</mark>&gt;alert(&quot;x &amp; y&quot;)&lt;/<mark>script</mark>&gt; from mail');
  });

  it('does not mark stopwords', () => {
    expect(buildSnippet('The cat and the dog', 'the and dog')).toBe('The cat and the <mark>dog</mark>');
  });

  it('centres a long text on the densest matches and shows where it was cut', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(40);
    const text = `${filler}the refund is paid within fourteen days of the return ${filler}`;
    const snippet = buildSnippet(text, 'refund fourteen days');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('<mark>refund</mark> is paid within <mark>fourteen</mark> <mark>days</mark>');
    expect(snippet.replace(/<\/?mark>|…/g, '').length).toBeLessThanOrEqual(SNIPPET_CHARS + 1);
    // cut between words
    expect(snippet.replace(/<\/?mark>/g, '')).toMatch(/^…(lorem|ipsum|dolor|sit|amet|the) /);
  });

  it('without a match shows the beginning', () => {
    const text = 'alpha beta gamma '.repeat(30);
    const snippet = buildSnippet(text, 'zeta');
    expect(snippet.startsWith('alpha beta')).toBe(true);
    expect(snippet).not.toContain('<mark>');
    expect(snippet.endsWith('…')).toBe(true);
  });

  it('marks CJK text by the query’s character pairs, with astral characters whole', () => {
    expect(buildSnippet('员工每年享有二十五天带薪年假。', '带薪年假')).toBe('员工每年享有二十五天<mark>带薪年假</mark>。');
    expect(buildSnippet('𠮷野家の牛丼', '𠮷野')).toBe('<mark>𠮷野</mark>家の牛丼');
  });

  it('collapses whitespace', () => {
    expect(buildSnippet('line one\n\n  line   two', 'two')).toBe('line one line <mark>two</mark>');
  });

  it('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
