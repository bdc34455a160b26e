import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('config', () => {
  it('has embedded defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.oauth.github).toBeUndefined();
  });

  it('names every invalid variable in one readable error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', SYNTRA_SECRET_KEY: 'short' })).toThrowError(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', SYNTRA_SECRET_KEY: 'short' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('SYNTRA_SECRET_KEY');
    }
  });

  it('keeps private git remotes off unless asked, and takes a Unix user name for local terminals', () => {
    expect(loadConfig({}).gitAllowPrivate).toBe(false);
    expect(loadConfig({ SYNTRA_GIT_ALLOW_PRIVATE: 'true' }).gitAllowPrivate).toBe(true);
    expect(() => loadConfig({ SYNTRA_GIT_ALLOW_PRIVATE: 'yes please' })).toThrowError(/SYNTRA_GIT_ALLOW_PRIVATE/);
    expect(loadConfig({}).localTerminalUser).toBeUndefined();
    expect(loadConfig({ SYNTRA_LOCAL_TERMINAL_USER: 'ops' }).localTerminalUser).toBe('ops');
    expect(() => loadConfig({ SYNTRA_LOCAL_TERMINAL_USER: 'root; rm -rf /' })).toThrowError(/SYNTRA_LOCAL_TERMINAL_USER: a Unix user name/);
  });

  it('turns OAuth on only with both client id and secret', () => {
    expect(loadConfig({ GITHUB_CLIENT_ID: 'x' }).oauth.github).toBeUndefined();
    expect(loadConfig({ GITHUB_CLIENT_ID: 'x', GITHUB_CLIENT_SECRET: 'y' }).oauth.github).toEqual({ clientId: 'x', clientSecret: 'y' });
  });
});
