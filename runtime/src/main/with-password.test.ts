import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withPassword } from './database.ts';

describe('withPassword', () => {
  it('puts the password into the URL, encoded, so the driver reads it back exactly', () => {
    const url = withPassword('postgres://livora@db.internal:5432/livora?sslmode=require', 'p@ss:w/rd%?');
    expect(new pg.Client({ connectionString: url }).password).toBe('p@ss:w/rd%?');
    expect(url).toMatch(/^postgres:\/\/livora:[^@]+@db\.internal:5432\/livora\?sslmode=require$/);
  });

  it('sets it in a socket’s URL (Cloud SQL’s connector), which is no WHATWG URL, and in one without a user', () => {
    const socket = new pg.Client({
      connectionString: withPassword('postgres://livora:old@/livora?host=/cloudsql/p:r:i', 'n@w/pw'),
    });
    expect([socket.host, socket.user, socket.password, socket.database]).toEqual([
      '/cloudsql/p:r:i',
      'livora',
      'n@w/pw',
      'livora',
    ]);
    const userless = new pg.Client({ connectionString: withPassword('postgres://db.internal:5432/livora', 'pw') });
    expect([userless.host, userless.port, userless.password]).toEqual(['db.internal', 5432, 'pw']);
  });

  it('leaves the URL alone without one', () => {
    expect(withPassword('postgres://a:b@h/d', undefined)).toBe('postgres://a:b@h/d');
  });
});
