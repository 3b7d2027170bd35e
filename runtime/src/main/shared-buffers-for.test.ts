import { describe, expect, it } from 'vitest';
import { sharedBuffersFor } from './database.ts';

describe('sharedBuffersFor', () => {
  const gib = 2 ** 30;
  it('gives the embedded server a quarter of the machine’s memory', () => {
    expect(sharedBuffersFor(4 * gib, undefined)).toBe('1024MB');
    expect(sharedBuffersFor(6 * gib, 0)).toBe('1536MB');
  });

  it('takes a quarter of a container’s limit, not of the host it runs on', () => {
    expect(sharedBuffersFor(64 * gib, 2 * gib)).toBe('512MB');
    // No limit (Node reports one above the host's memory then): the host's.
    expect(sharedBuffersFor(4 * gib, 2 ** 64)).toBe('1024MB');
  });

  it('keeps PostgreSQL’s default on small machines and stops at 2 GB on large ones', () => {
    expect(sharedBuffersFor(256 * 2 ** 20, undefined)).toBe('128MB');
    expect(sharedBuffersFor(24 * gib, undefined)).toBe('2048MB');
  });
});
