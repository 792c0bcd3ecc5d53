import { ACCEPTED_FILE_EXTENSIONS } from '@business-brain/contract';

import { ACCEPTED_TYPES } from '../../src/extraction/accepted-types.js';

describe('accepted file types', () => {
  it('name exactly the file extensions the contract tells the web app to offer', () => {
    const backend = new Set(ACCEPTED_TYPES.flatMap((t) => t.extensions));
    expect([...backend].sort()).toEqual([...new Set(ACCEPTED_FILE_EXTENSIONS)].sort());
  });
});
