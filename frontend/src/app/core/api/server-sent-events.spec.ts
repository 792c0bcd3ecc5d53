import { describe, expect, it } from 'vitest';

import { EventStreamParser, type ServerSentEvent } from './server-sent-events';

/** Feeds every chunk, then ends the stream; returns all events in order. */
function parseAll(...chunks: string[]): ServerSentEvent[] {
  const parser = new EventStreamParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

describe('EventStreamParser', () => {
  it('yields an event only once its blank line has arrived, however the stream is split', () => {
    const parser = new EventStreamParser();

    expect(parser.push('event: del')).toEqual([]);
    expect(parser.push('ta\ndata: {"text":"Hel')).toEqual([]);
    expect(parser.push('lo"}\n')).toEqual([]);
    expect(parser.push('\nevent: delta\ndata: {"text":"!"}\n\n')).toEqual([
      { event: 'delta', data: '{"text":"Hello"}' },
      { event: 'delta', data: '{"text":"!"}' },
    ]);
    expect(parser.end()).toEqual([]);
  });

  it('splits a stream cut between the two newlines of a boundary', () => {
    const parser = new EventStreamParser();

    expect(parser.push('data: one\n')).toEqual([]);
    expect(parser.push('\ndata: two\n\n')).toEqual([
      { event: 'message', data: 'one' },
      { event: 'message', data: 'two' },
    ]);
  });

  it('yields several events of one chunk in order', () => {
    expect(parseAll('event: context\ndata: 1\n\nevent: delta\ndata: 2\n\nevent: done\ndata: 3\n\n')).toEqual([
      { event: 'context', data: '1' },
      { event: 'delta', data: '2' },
      { event: 'done', data: '3' },
    ]);
  });

  it('accepts CRLF and lone CR line endings, also when a CRLF is split across chunks', () => {
    expect(parseAll('event: a\r\ndata: crlf\r\n\r\n', 'event: b\rdata: cr\r\r')).toEqual([
      { event: 'a', data: 'crlf' },
      { event: 'b', data: 'cr' },
    ]);
    expect(parseAll('data: split\r', '\n\r\n')).toEqual([{ event: 'message', data: 'split' }]);
  });

  it('joins the data lines of one event with newlines', () => {
    expect(parseAll('data: first line\ndata: second line\ndata:\ndata: fourth\n\n')).toEqual([
      { event: 'message', data: 'first line\nsecond line\n\nfourth' },
    ]);
  });

  it('removes one space after the colon, and only one', () => {
    expect(parseAll('data:no space\n\ndata:  two spaces\n\n')).toEqual([
      { event: 'message', data: 'no space' },
      { event: 'message', data: ' two spaces' },
    ]);
  });

  it('ignores comments (keep-alives) and fields other than event and data', () => {
    expect(parseAll(': keep-alive\n\n', ':ping\nid: 7\nretry: 1000\nevent: delta\n: between\ndata: kept\n\n')).toEqual([
      { event: 'delta', data: 'kept' },
    ]);
  });

  it('drops a block without data', () => {
    expect(parseAll('event: lonely\n\nevent: delta\ndata: x\n\n')).toEqual([{ event: 'delta', data: 'x' }]);
  });

  it('names an event without an event field "message"', () => {
    expect(parseAll('data: plain\n\n')).toEqual([{ event: 'message', data: 'plain' }]);
  });

  it('does not carry an event name over to the next event', () => {
    expect(parseAll('event: done\ndata: 1\n\ndata: 2\n\n')).toEqual([
      { event: 'done', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('end() flushes a last event the stream did not close with a blank line, once', () => {
    const parser = new EventStreamParser();

    expect(parser.push('event: done\ndata: {"model":"m"}')).toEqual([]);
    expect(parser.end()).toEqual([{ event: 'done', data: '{"model":"m"}' }]);
    expect(parser.end()).toEqual([]);
  });

  it('end() yields nothing for a trailing comment or an empty buffer', () => {
    const parser = new EventStreamParser();
    expect(parser.push('data: a\n\n: bye\n')).toEqual([{ event: 'message', data: 'a' }]);
    expect(parser.end()).toEqual([]);
    expect(new EventStreamParser().end()).toEqual([]);
  });
});
