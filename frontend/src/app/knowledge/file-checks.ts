import { ACCEPTED_FILE_EXTENSIONS, type Vocabulary } from '@business-brain/contract';

import { extensionOf, formatBytes } from '../shared/format';

export interface FileCheck {
  accepted: File[];
  /** One readable message per refused file. */
  problems: string[];
}

const ACCEPTED = new Set<string>(ACCEPTED_FILE_EXTENSIONS);

/** Checks files before upload: accepted type (by extension), size, not empty, not chosen twice, and the per-request count. */
export function checkFiles(candidates: readonly File[], chosen: readonly File[], vocabulary: Vocabulary): FileCheck {
  const { max_file_bytes: maxBytes, max_files: maxFiles } = vocabulary.limits;
  const accepted: File[] = [];
  const problems: string[] = [];
  for (const file of candidates) {
    if (!ACCEPTED.has(extensionOf(file.name))) {
      problems.push(`${file.name}: this file type is not accepted. Upload ${vocabulary.accepted_file_types.join(', ')}.`);
    } else if (file.size > maxBytes) {
      problems.push(`${file.name} is ${formatBytes(file.size)}; files may be at most ${formatBytes(maxBytes)}.`);
    } else if (file.size === 0) {
      problems.push(`${file.name} is empty.`);
    } else if ([...chosen, ...accepted].some((f) => f.name === file.name && f.size === file.size)) {
      problems.push(`${file.name} is already chosen.`);
    } else if (chosen.length + accepted.length >= maxFiles) {
      problems.push(`${file.name}: at most ${maxFiles} files per upload.`);
    } else {
      accepted.push(file);
    }
  }
  return { accepted, problems };
}

/** Each file's share (0-100) of a multipart upload that has sent `loaded` of `total` bytes, files sent in order. */
export function perFileProgress(files: readonly File[], loaded: number, total: number): number[] {
  const sizes = files.map((f) => f.size);
  const payload = sizes.reduce((a, b) => a + b, 0);
  // the form's other parts (metadata, boundaries) are spread evenly over the files
  const overhead = Math.max(0, total - payload) / Math.max(1, files.length);
  let start = 0;
  return sizes.map((size) => {
    const span = size + overhead;
    const sent = Math.min(Math.max(loaded - start, 0), span);
    start += span;
    return span === 0 ? 100 : Math.floor((sent / span) * 100);
  });
}
