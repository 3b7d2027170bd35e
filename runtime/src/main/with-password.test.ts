import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withPassword } from './database.ts';

describe('withPassword', () => {
  it('puts the password into the URL, encoded, so the driver reads it back exactly', () => {
    const url = withPassword('postgres://livora@db.internal:5432/livora?sslmode=require', 'p@ss:w/rd%?');
    expect(new pg.Client({ connectionString: url }).password).toBe('p@ss:w/rd%?');
    expect(url).toMatch(/^postgres:\/\/livora:[^@]+@db\.internal:5432\/livora\?sslmode=require$/);
  });

  it('leaves the URL alone without one', () => {
    expect(withPassword('postgres://a:b@h/d', undefined)).toBe('postgres://a:b@h/d');
  });
});
