import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

import { parseSourceUrl } from '../common/url/parse-source-url.js';
import { PermanentIngestionError, TransientIngestionError } from './ingestion-job.js';
import { refusalReason, type AddressPolicy } from './address-policy.js';

/**
 * What the document's error says; the address and what it resolves to go to the log only, so a
 * user cannot learn through it how internal names resolve.
 */
const NOT_ALLOWED = 'The address is not allowed';
const HOST_NOT_FOUND = 'The host could not be found';

export interface UrlFetchOptions extends AddressPolicy {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

export interface FetchedPage {
  finalUrl: string;
  contentType: string | null;
  body: Buffer;
}

/**
 * Resolves the host and refuses forbidden addresses *at connect time*, so a DNS answer that
 * changes between a check and the connection (rebinding) cannot slip through.
 */
const guardedLookup = (policy: AddressPolicy): LookupFunction =>
  ((hostname: string, options: object, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const reason = refusalReason(a.address, policy);
        if (reason) return callback(new PermanentIngestionError(NOT_ALLOWED, `refused to fetch ${hostname}: it resolves to ${a.address}, ${reason}`), []);
      }
      const all = (options as { all?: boolean }).all;
      if (all) return callback(null, addresses);
      const first = addresses[0];
      return first ? callback(null, first.address, first.family) : callback(new PermanentIngestionError(HOST_NOT_FOUND, `no address for ${hostname}`), []);
    });
  });

/** Fetches a web page or file for ingestion: bounded in time, size and redirects, private networks refused. */
export async function fetchUrl(url: URL, options: UrlFetchOptions, signal?: AbortSignal): Promise<FetchedPage> {
  let current = url;
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    const response = await requestOnce(current, options, signal);
    if (response.redirect) {
      let next: URL;
      try {
        next = parseSourceUrl(new URL(response.redirect, current).toString());
      } catch (error) {
        throw new PermanentIngestionError('The page redirects to an address that cannot be fetched', `redirect to ${response.redirect}: ${(error as Error).message}`);
      }
      current = next;
      continue;
    }
    return { finalUrl: current.toString(), contentType: response.contentType, body: response.body ?? Buffer.alloc(0) };
  }
  throw new PermanentIngestionError(`The page redirects too many times (more than ${options.maxRedirects})`);
}

interface OnceResult {
  redirect?: string;
  contentType: string | null;
  body?: Buffer;
}

function requestOnce(url: URL, options: UrlFetchOptions, signal?: AbortSignal): Promise<OnceResult> {
  // Node skips the lookup for literal addresses, so check those here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal)) {
    const reason = refusalReason(literal, options);
    if (reason) return Promise.reject(new PermanentIngestionError(NOT_ALLOWED, `refused to fetch ${url.hostname}: it is ${reason}`));
  }
  return new Promise<OnceResult>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(
      url,
      {
        lookup: guardedLookup(options),
        timeout: options.timeoutMs,
        headers: { 'user-agent': 'BusinessBrain/0.1 (+knowledge ingestion)', accept: 'text/html,application/pdf,text/*;q=0.9,*/*;q=0.5' },
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const contentType = res.headers['content-type'] ?? null;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          return resolve({ redirect: res.headers.location, contentType });
        }
        if (status >= 400) {
          res.resume();
          const message = `The page answered HTTP ${status}`;
          const detail = `${url.toString()} answered HTTP ${status}`;
          return reject(status >= 500 || status === 429 || status === 408 ? new TransientIngestionError(message, detail) : new PermanentIngestionError(message, detail));
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > options.maxBytes) {
          res.destroy();
          return reject(new PermanentIngestionError(`The page is larger than the ${options.maxBytes}-byte limit`));
        }
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            res.destroy();
            reject(new PermanentIngestionError(`The page is larger than the ${options.maxBytes}-byte limit`));
            return;
          }
          parts.push(chunk);
        });
        res.on('end', () => resolve({ contentType, body: Buffer.concat(parts) }));
        res.on('error', (err) => reject(new TransientIngestionError('The page could not be read to the end', `reading ${url.toString()} failed: ${err.message}`)));
      },
    );
    // A whole-request deadline as well: `timeout` alone only bounds idle gaps.
    const timedOut = (): TransientIngestionError =>
      new TransientIngestionError(`The page did not answer within ${Math.ceil(options.timeoutMs / 1000)} s`, `fetching ${url.toString()} timed out after ${options.timeoutMs} ms`);
    const deadline = setTimeout(() => req.destroy(timedOut()), options.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(timedOut()));
    req.on('error', (err) => {
      if (err instanceof PermanentIngestionError || err instanceof TransientIngestionError) return reject(err);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND') return reject(new PermanentIngestionError(HOST_NOT_FOUND, `${url.hostname}: ${err.message}`));
      reject(new TransientIngestionError('The page could not be reached', `fetching ${url.toString()} failed: ${err.message}`));
    });
  });
}
