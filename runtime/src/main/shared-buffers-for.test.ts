import { describe, expect, it } from 'vitest';
import { sharedBuffersFor } from './database.ts';

describe('sharedBuffersFor', () => {
  const gib = 2 ** 30;
  it('gives the embedded server a quarter of the machine’s memory', () => {
    expect(sharedBuffersFor(4 * gib)).toBe('1024MB');
    expect(sharedBuffersFor(6 * gib)).toBe('1536MB');
  });

  it('keeps PostgreSQL’s default on small machines and stops at 2 GB on large ones', () => {
    expect(sharedBuffersFor(256 * 2 ** 20)).toBe('128MB');
    expect(sharedBuffersFor(24 * gib)).toBe('2048MB');
  });
});
