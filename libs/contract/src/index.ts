export * from './tenant-slug.js';
export * from './vocabulary.js';
export type * from './api-types.js';
