import { stemEnglish } from '../../src/embeddings/providers/english-stemmer.js';
import { LEXICAL_MODEL, LexicalEmbeddingProvider } from '../../src/embeddings/providers/lexical-embedding-provider.js';
import { foldText } from '../../src/embeddings/providers/lexical-features.js';

const cosine = (a: readonly number[], b: readonly number[]): number => a.reduce((sum, x, i) => sum + x * (b[i]), 0);
const norm = (v: readonly number[]): number => Math.sqrt(cosine(v, v));

const CORPUS = {
  billing: 'Invoices are issued on the first day of each month. Overdue invoices incur a late payment fee after thirty days.',
  password: "To reset your password, open the login page and choose 'Forgot password'. A reset link is emailed to you and expires after one hour.",
  vacation: 'Employees accrue twenty-five vacation days per year. Unused vacation days can be carried over until the end of March.',
  deployment: 'Deployments run through the CI pipeline. Every merge to the main branch builds a container image and deploys it to the staging cluster.',
  coffee: 'The coffee machine on the third floor needs descaling every two weeks. Use the descaling tablets stored in the kitchen cabinet.',
  privacy: 'Customer personal data is stored in the EU. Deletion requests under the GDPR must be completed within thirty days.',
  parking: "Visitors park in the underground garage. Register the visitor's licence plate at reception to open the barrier.",
  expenses: 'Submit travel expenses with receipts through the expense portal. Reimbursements are paid with the next salary.',
  laptops: 'New hires receive a laptop on their first day. IT installs the operating system, disk encryption and the VPN client beforehand.',
  shipping: 'Orders ship from the Rotterdam warehouse. Standard shipping takes three to five business days; express shipping arrives the next day.',
} as const;
type Topic = keyof typeof CORPUS;

describe('LexicalEmbeddingProvider', () => {
  const provider = new LexicalEmbeddingProvider();

  it('is named, sized for the column, deterministic across instances', async () => {
    expect(provider.model).toBe(LEXICAL_MODEL);
    expect(provider.model).toBe('business-brain-lexical-v1');
    expect(provider.dimensions).toBe(1536);
    const [a] = await provider.embed(['Quarterly revenue grew in Zürich']);
    const [b] = await new LexicalEmbeddingProvider().embed(['Quarterly revenue grew in Zürich']);
    expect(a).toEqual(b);
    expect(a).toHaveLength(1536);
  });

  it('returns finite unit vectors, and a fixed unit vector for text without content words', async () => {
    const texts = ['hello', 'A longer text about invoices, tenants and payroll.', '東京は晴れです', '😀 👍', '12345', '', 'the and of to', '   '];
    const vectors = await provider.embed(texts);
    for (const vector of vectors) {
      expect(vector.every((x) => Number.isFinite(x))).toBe(true);
      expect(Math.abs(norm(vector) - 1)).toBeLessThan(1e-9);
    }
    const [empty, stopwords, blank] = vectors.slice(5);
    const emoji = vectors[3];
    expect(stopwords).toEqual(empty);
    expect(blank).toEqual(empty);
    expect(emoji).toEqual(empty);
    expect(Math.abs(cosine(empty, vectors[1]))).toBeLessThan(0.2);
  });

  it('ignores case and accents', async () => {
    const [a, b] = await provider.embed(['Café in ZÜRICH, Straße', 'cafe in zurich, strasse']);
    expect(a).toEqual(b);
    expect(foldText('Ærø Œuvre Ça')).toBe('aero oeuvre ca');
  });

  it('ranks the passage that shares a query’s words first, also for inflected forms', async () => {
    const topics = Object.keys(CORPUS) as Topic[];
    const documents = await provider.embed(topics.map((t) => CORPUS[t]));
    const queries: [string, Topic][] = [
      ['overdue invoice fee', 'billing'],
      ['invoicing', 'billing'],
      ['how do I reset my password', 'password'],
      ['resetting passwords', 'password'],
      ['carry over unused vacation', 'vacation'],
      ['deploying containers to staging', 'deployment'],
      ['descale the coffee machine', 'coffee'],
      ['GDPR deletion request', 'privacy'],
      ['where can visitors park', 'parking'],
      ['parked visitor cars', 'parking'],
      ['reimbursement of travel expense', 'expenses'],
      ['laptop for a new hire', 'laptops'],
      ['encrypted disks', 'laptops'],
      ['how long does express shipping take', 'shipping'],
      ['shipped orders', 'shipping'],
    ];
    for (const [query, expected] of queries) {
      const [vector] = await provider.embed([query]);
      const scores = documents.map((d) => cosine(vector, d));
      const ranked = topics.map((topic, i) => ({ topic, score: scores[i] })).sort((x, y) => y.score - x.score);
      expect({ query, top: ranked[0]?.topic }).toEqual({ query, top: expected });
      // Clearly first, not by a hair: "invoicing" shares only character trigrams and still scores 2.5x the runner-up.
      expect(ranked[0]?.score).toBeGreaterThan(2 * (ranked[1]?.score ?? 0));
    }
    const [unrelated] = await provider.embed(['quantum chromodynamics lattice']);
    expect(Math.max(...documents.map((d) => cosine(unrelated, d)))).toBeLessThan(0.15);
  });

  it('stems English plurals, -ed and -ing with Porter’s step 1', () => {
    const stems: [string, string][] = [
      ['invoices', 'invoice'],
      ['invoice', 'invoice'],
      ['policies', 'polici'],
      ['policy', 'polici'],
      ['running', 'run'],
      ['shipped', 'ship'],
      ['making', 'make'],
      ['agreed', 'agree'],
      ['caresses', 'caress'],
      ['deployments', 'deployment'],
      ['news', 'new'],
      ['bus', 'bus'],
      ['sing', 'sing'],
      ['naïve', 'naïve'],
    ];
    expect(stems.map(([word]) => [word, stemEnglish(word)])).toEqual(stems);
  });

  it('embeds with its own model only', async () => {
    expect([provider.servesModel('business-brain-lexical-v1'), provider.servesModel('text-embedding-3-small')]).toEqual([true, false]);
    expect(await provider.embed(['invoice'], undefined, { model: 'business-brain-lexical-v1' })).toEqual([provider.embedText('invoice')]);
    await expect(provider.embed(['invoice'], undefined, { model: 'text-embedding-3-small' })).rejects.toThrow(/business-brain-lexical-v1 only/);
  });

  it('stops between texts when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(provider.embed(['x'], controller.signal)).rejects.toThrow('stop');
  });
});
