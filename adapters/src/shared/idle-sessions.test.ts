import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdleSessions } from './idle-sessions.ts';

afterEach(() => vi.useRealTimers());

describe('released warehouse sessions', () => {
  it('are handed out newest first, never one idle too long or too old, and at most 10 are kept', () => {
    vi.useFakeTimers({ now: 0 });
    const idle = new IdleSessions<{ id: string; opened: number }>({ reuseMs: 1_000, maxAgeMs: 10_000 });
    idle.keep({ id: 'old', opened: -9_500 });
    idle.keep({ id: 'a', opened: 0 });
    vi.setSystemTime(600);
    idle.keep({ id: 'b', opened: 0 });
    expect(idle.take()?.id).toBe('b');
    vi.setSystemTime(1_200); // 'a' idle 1.2 s, 'old' older than 10 s
    expect(idle.take()).toBeNull();

    for (let i = 0; i < 12; i++) idle.keep({ id: `s${i}`, opened: 1_200 });
    const taken: string[] = [];
    for (let s = idle.take(); s; s = idle.take()) taken.push(s.id);
    expect(taken).toEqual(['s9', 's8', 's7', 's6', 's5', 's4', 's3', 's2', 's1', 's0']);
  });
});
