import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSavedDockerfile } from '../../src/build/generated-dockerfile.js';

describe("a build frame's saved Dockerfile (issue 15)", () => {
  it('is written into the context and built instead of detecting; the repository\'s own .dockerignore wins', async () => {
    const dir = fs.mkdtempSync(path.join(process.env.SYNTRA_TEST_TMP ?? os.tmpdir(), 'ctx-'));
    const lines: string[] = [];
    const saved = { dockerfile: 'FROM python:3.12-slim\nCMD ["python", "app.py"]\n', dockerignore: '.git\n.env\n' };
    const plan = await writeSavedDockerfile(dir, saved, (_s, l) => lines.push(l));
    expect(plan.kind).toBe('dockerfile');
    expect(fs.readFileSync(plan.dockerfile, 'utf8')).toBe(saved.dockerfile);
    expect(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8')).toBe(saved.dockerignore);
    expect(lines).toContain("building the service's saved Dockerfile");

    const own = fs.mkdtempSync(path.join(process.env.SYNTRA_TEST_TMP ?? os.tmpdir(), 'ctx-'));
    fs.writeFileSync(path.join(own, '.dockerignore'), 'node_modules\n');
    await writeSavedDockerfile(own, saved, () => undefined);
    expect(fs.readFileSync(path.join(own, '.dockerignore'), 'utf8')).toBe('node_modules\n');
  });
});
