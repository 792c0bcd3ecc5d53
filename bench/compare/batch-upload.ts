import { readFile } from 'node:fs/promises';

import type { CorpusFile } from '../corpus/corpus-files.js';
import { chunkCount, uploadFile } from '../bench-client.js';

type Api = { baseUrl: string };

export interface Upload {
  file: CorpusFile;
  id: string;
  /** Date.now() when its request was about to be sent, and when the API answered 202. */
  sentAt: number;
  acceptedAt: number;
}

/**
 * Uploads `files` in order through the HTTP API (one multipart request each), at most `inFlight`
 * at a time (Infinity: all at once), as a browser uploading a selection would. `onAccepted` sees
 * each upload as soon as the API has answered it.
 */
export async function uploadAll(api: Api, files: CorpusFile[], inFlight: number, onAccepted?: (upload: Upload) => void): Promise<Upload[]> {
  const uploads: Upload[] = new Array<Upload>(files.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const file = files[i];
      const bytes = await readFile(file.path);
      const sentAt = Date.now();
      const id = await uploadFile(api, bytes, file.name, file.mimeType);
      const upload = { file, id, sentAt, acceptedAt: Date.now() };
      uploads[i] = upload;
      onAccepted?.(upload);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, files.length) }, lane));
  return uploads;
}

/**
 * Date.now() when the API first shows a chunk of the entry (polling its chunk preview every
 * `everyMs`), or null if `stop` is set first. Never rejects: a failed probe is a probe that did
 * not see a chunk (the failure is counted by getJson).
 */
export async function firstChunkSeen(api: Api, id: string, everyMs: number, stop: { stopped: boolean }): Promise<number | null> {
  while (!stop.stopped) {
    try {
      if ((await chunkCount(api, id)) > 0) return Date.now();
    } catch {
      // getJson gave up on it after a minute of errors: the run reports those
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return null;
}
