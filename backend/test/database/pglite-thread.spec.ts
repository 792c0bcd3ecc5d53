import { createHash } from 'node:crypto';

import { messages } from '@electric-sql/pglite';

import { PgliteThreadClient } from '../../src/database/pglite/pglite-thread-client.js';

/** PGlite in its own thread: what runs there, and what comes back to the API's thread. */
describe('PgliteThreadClient', () => {
  let db: PgliteThreadClient;
  beforeAll(async () => {
    db = await PgliteThreadClient.open('memory://');
    await db.exec('CREATE TABLE notes (id int PRIMARY KEY, body text, bytes bytea, at timestamptz DEFAULT now())');
  });
  afterAll(() => db?.close());

  it("runs a long statement without stalling this thread's event loop", async () => {
    let finished = false;
    const long = db.query('SELECT count(*) AS n FROM generate_series(1, 3000000)').then(() => (finished = true));
    // on this thread a timer could only fire after the statement (and its promise callbacks) were done
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished).toBe(false);
    await long;
    expect(finished).toBe(true);
  });

  it('returns values parsed as PGlite parses them, bytea as bytes', async () => {
    await db.query('INSERT INTO notes (id, body, bytes) VALUES ($1, $2, $3)', [1, 'hello', new Uint8Array([0, 1, 255])]);
    const { rows } = await db.query<{ id: number; body: string; bytes: Uint8Array; at: Date }>('SELECT * FROM notes WHERE id = 1');
    expect(rows[0]).toMatchObject({ id: 1, body: 'hello', bytes: new Uint8Array([0, 1, 255]) });
    expect(rows[0]?.at.getTime()).toEqual(expect.any(Number)); // a Date (from the worker's realm, so no instanceof)
  });

  it('stores and reads bytea exactly through its hex codec: every byte value, a view into a larger buffer, megabytes', async () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const larger = Buffer.concat([Buffer.from('prefix'), every, Buffer.from('suffix')]);
    const view = larger.subarray(6, 6 + 256);
    const big = createHash('sha512').update('seed').digest();
    const megabytes = Buffer.concat(Array.from({ length: 40_000 }, (_, i) => Buffer.concat([big, Buffer.from([i & 255])])));
    await db.query('INSERT INTO notes (id, bytes) VALUES ($1, $2), ($3, $4)', [10, view, 11, megabytes]);
    const { rows } = await db.query<{ id: number; size: number; md5: string; bytes: Uint8Array }>(
      'SELECT id, length(bytes) AS size, md5(bytes) AS md5, bytes FROM notes WHERE id IN (10, 11) ORDER BY id',
    );
    const md5 = (bytes: Uint8Array): string => createHash('md5').update(bytes).digest('hex');
    expect(rows.map((r) => [r.size, r.md5])).toEqual([
      [256, md5(every)],
      [megabytes.length, md5(megabytes)],
    ]);
    expect(Buffer.from(rows[0]?.bytes ?? []).equals(every)).toBe(true);
    expect(Buffer.from(rows[1]?.bytes ?? []).equals(megabytes)).toBe(true);
    await db.query('DELETE FROM notes WHERE id IN (10, 11)');
  });

  it("applies a caller's parsers on this thread, to the text of their types", async () => {
    const { rows } = await db.query<unknown[]>('SELECT 12.50::numeric AS n, 7 AS i', [], { rowMode: 'array', parsers: { 1700: (text) => `numeric:${text}` } });
    expect(rows).toEqual([['numeric:12.50', 7]]);
  });

  it("rebuilds database errors as PGlite's DatabaseError, with their fields", async () => {
    const error = await db.query('INSERT INTO notes (id) VALUES (1)').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(messages.DatabaseError);
    expect(error).toMatchObject({ code: '23505', constraint: 'notes_pkey', severity: 'ERROR' });
  });

  it('commits a transaction that resolves and rolls back one that throws or asks to', async () => {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO notes (id, body) VALUES (2, $1)', ['kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO notes (id, body) VALUES (3, $1)', ['dropped']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO notes (id, body) VALUES (4, $1)', ['dropped too']);
      await tx.rollback();
    });
    const { rows } = await db.query<{ id: number }>('SELECT id FROM notes ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('rolls back a transaction left open when it closes, and refuses work afterwards', async () => {
    const other = await PgliteThreadClient.open('memory://');
    await other.exec('CREATE TABLE t (id int)');
    let begun = (): void => undefined;
    const inside = new Promise<void>((resolve) => (begun = resolve));
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const outcome = other
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
        begun();
        await held;
        await tx.query('INSERT INTO t VALUES (2)');
      })
      .then(
        () => 'committed',
        (error: unknown) => error,
      );
    await inside;
    // a caller that never finishes its transaction cannot keep the database from closing
    await other.close();
    release();
    expect(await outcome).toEqual(expect.objectContaining({ message: expect.stringMatching(/closed/) }));
    await expect(other.query('SELECT 1')).rejects.toThrow(/closed/);
  });
  it('lets a rollback asked for after the database closed resolve: there is nothing left to undo', async () => {
    // Prisma's PGlite adapter asks for a rollback without awaiting it: a rejection there would be unhandled
    const other = await PgliteThreadClient.open('memory://');
    const outcome = other.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await other.close();
      await expect(tx.rollback()).resolves.toBeUndefined();
      expect(tx.closed).toBe(true);
    });
    await expect(outcome).resolves.toBeUndefined();
  });
});
