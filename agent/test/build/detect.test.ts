import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBuildUser } from '../../src/build/build-user.js';
import { detect, DetectError } from '../../src/build/detect.js';
import { generateDockerfile } from '../../src/build/generated-dockerfile.js';
import { buildEnv } from '../../src/build/run-command.js';
import { tmpDir } from '../deploy/support.js';

describe('detecting how to build a checkout', () => {
  const opts = { dockerfilePath: 'Dockerfile', startCommand: null };
  const repo = (files: Record<string, string>) => {
    const dir = tmpDir('detect');
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return dir;
  };

  it('a Node app installs, builds and prunes when it has dependencies and a build script', () => {
    const dir = repo({ 'package.json': JSON.stringify({ scripts: { build: 'tsc', start: 'node dist/a.js' }, dependencies: { x: '1' } }), 'package-lock.json': '{}' });
    expect(detect(dir, 'auto', opts)).toEqual({ kind: 'node', steps: ['npm ci --include=dev', 'npm run build', 'npm prune --omit=dev'], start: 'node dist/a.js' });
  });

  it('a Procfile web line, a static site, and what it looked for when nothing matches', () => {
    expect(detect(repo({ Procfile: 'web: ./serve --port $PORT\n' }), 'auto', opts)).toEqual({ kind: 'procfile', steps: [], start: './serve --port $PORT' });
    expect(detect(repo({ 'index.html': '<h1>hi</h1>' }), 'auto', opts)).toMatchObject({ kind: 'static', start: 'syntra-static .' });
    expect(() => detect(repo({ Dockerfile: 'FROM x' }), 'auto', opts)).toThrow(DetectError);
    expect(() => detect(repo({ Dockerfile: 'FROM x' }), 'auto', opts)).toThrow(/set the service source_type to "dockerfile"/);
    expect(() => detect(repo({}), 'dockerfile', opts)).toThrow('No Dockerfile at Dockerfile in the build context');
  });
});

describe('generated Dockerfiles', () => {
  const images = { node: 'node:20-slim', static: 'busybox:stable' };

  it('installs, builds and starts a Node app the way the process runtime would', () => {
    const file = generateDockerfile({ kind: 'node', steps: ['npm ci --include=dev', 'npm run build', 'npm prune --omit=dev'], start: 'npm start' }, images);
    expect(file).toContain('FROM node:20-slim\n');
    expect(file).toContain('RUN npm ci --include=dev && npm run build && npm prune --omit=dev\n');
    expect(file).toContain('CMD ["sh","-c","npm start"]');
  });

  it('serves a static site with busybox httpd and runs a Procfile web command as is', () => {
    expect(generateDockerfile({ kind: 'static', steps: [], start: 'syntra-static .' }, images)).toMatch(/^FROM busybox:stable\nCOPY \. \/www\n[\s\S]*CMD \["httpd", "-f", "-p", "8080", "-h", "\/www"\]/);
    const procfile = generateDockerfile({ kind: 'procfile', steps: [], start: 'node web.js --name "a b" && echo $PORT' }, images);
    expect(procfile).not.toContain('RUN');
    expect(procfile).toContain(`CMD ${JSON.stringify(['sh', '-c', 'node web.js --name "a b" && echo $PORT'])}`);
  });
});

describe('who build steps run as, with what environment', () => {
  it('a root agent builds as SYNTRA_BUILD_USER, else syntra-build or nobody, never as root', () => {
    expect(resolveBuildUser(undefined, false)).toBeNull();
    const fallback = resolveBuildUser(undefined, true)!;
    expect(['syntra-build', 'nobody']).toContain(fallback.name);
    expect(fallback.uid).not.toBe(0);
    expect(resolveBuildUser('nobody', true)).toMatchObject({ name: 'nobody' });
    expect(() => resolveBuildUser('root', true)).toThrow('must not be root');
    expect(() => resolveBuildUser('no-such-user-here', true)).toThrow('there is no user "no-such-user-here"');
  });

  it('the environment is only PATH, HOME, the npm cache and a few switches: nothing inherited', () => {
    const env = buildEnv('/b/home', '/opt/node/bin');
    expect(Object.keys(env).sort()).toEqual(['CI', 'GIT_TERMINAL_PROMPT', 'HOME', 'LANG', 'NODE_ENV', 'PATH', 'npm_config_audit', 'npm_config_cache', 'npm_config_fund', 'npm_config_update_notifier']);
    expect(env.PATH!.startsWith('/opt/node/bin:')).toBe(true);
    expect(env.npm_config_cache).toBe('/b/home/.npm');
  });
});
