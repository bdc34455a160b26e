import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeCipher } from './test-fakes.js';
import { TokenStore } from './token-store.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-'));
const TOKEN = 'syn_s_secret-session-token-value';

describe('token storage through the safeStorage adapter', () => {
  it('keeps tokens encrypted on disk (0600) and reads them back after a restart', () => {
    const dir = tmp();
    const cipher = fakeCipher();
    new TokenStore(dir, cipher).set('acct1', TOKEN);
    const file = path.join(dir, 'tokens.json');
    expect(fs.readFileSync(file, 'utf8')).not.toContain(TOKEN);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(cipher.calls).toBe(1);
    expect(new TokenStore(dir, cipher).get('acct1')).toBe(TOKEN);
  });

  it('never writes a token in clear text when the OS has no encryption: memory only', () => {
    const dir = tmp();
    const store = new TokenStore(dir, fakeCipher(false));
    store.set('acct1', TOKEN);
    expect(store.get('acct1')).toBe(TOKEN);
    expect(fs.existsSync(path.join(dir, 'tokens.json'))).toBe(false);
    expect(new TokenStore(dir, fakeCipher(false)).get('acct1')).toBeNull();
  });

  it('forgets a token on sign-out and treats undecryptable entries as signed out', () => {
    const dir = tmp();
    const store = new TokenStore(dir, fakeCipher());
    store.set('a', TOKEN);
    store.set('b', TOKEN);
    store.delete('a');
    expect(store.get('a')).toBeNull();
    expect(store.get('b')).toBe(TOKEN);
    fs.writeFileSync(path.join(dir, 'tokens.json'), JSON.stringify({ b: Buffer.from('garbage').toString('base64') }));
    expect(store.get('b')).toBeNull();
  });
});
