import { describe, expect, it } from 'vitest';
import { parseDotEnv } from './dotenv.js';

describe('bulk paste of a .env file', () => {
  it('reads KEY=value lines the way people write them', () => {
    const text = ['# database', 'DATABASE_URL=postgres://u:p@db:5432/app', 'export NODE_ENV=production', 'QUOTED="hello # not a comment"', "SINGLE='x=y'", 'TRAILING=value # comment', 'EMPTY=', '', '  SPACED = 42  '].join('\n');
    expect(parseDotEnv(text)).toEqual({
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      NODE_ENV: 'production',
      QUOTED: 'hello # not a comment',
      SINGLE: 'x=y',
      TRAILING: 'value',
      EMPTY: '',
      SPACED: '42',
    });
  });

  it('skips lines that are not assignments or have invalid names', () => {
    expect(parseDotEnv('not a var\n1BAD=x\nGOOD_1=ok\r\n')).toEqual({ GOOD_1: 'ok' });
  });
});
