import { TestBed } from '@angular/core/testing';
import { describe, expect, it } from 'vitest';

import { APP_CONFIG, apiUrl } from './app-config';

describe('APP_CONFIG', () => {
  it('defaults to the same-origin API', () => {
    expect(TestBed.inject(APP_CONFIG).apiBaseUrl).toBe('/');
  });
});

describe('apiUrl', () => {
  it.each([
    ['/', 'routes/knowledge/acme', '/routes/knowledge/acme'],
    ['/', '/routes/knowledge/acme', '/routes/knowledge/acme'],
    ['https://api.example.com/', 'routes/knowledge/acme', 'https://api.example.com/routes/knowledge/acme'],
    ['https://api.example.com', '/routes/knowledge/acme', 'https://api.example.com/routes/knowledge/acme'],
  ])('joins %s and %s', (apiBaseUrl, path, expected) => {
    expect(apiUrl({ apiBaseUrl }, path)).toBe(expected);
  });
});
