import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { createDirectoryObjectStore } from '../../src/local/directory-object-store.ts';
import { objectStoreContract } from './object-store.contract.ts';

describe('local: a directory', () => {
  objectStoreContract(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'livora-objects-'));
    return { store: createDirectoryObjectStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
  });
});
