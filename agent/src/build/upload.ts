import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { ArtifactKind } from '@syntra/shared';

export interface UploadInput {
  url: string;
  token: string;
  file: string;
  digest: string;
  kind: ArtifactKind;
  imageRef: string | null;
}

/**
 * PUTs an artifact to the control plane's store with this agent's token (the store verifies the
 * sha256 and keeps it for rollbacks and other servers). Retried a few times on network errors and
 * 5xx; a 4xx is final and its message is the build's error.
 */
export async function uploadArtifact(input: UploadInput, signal?: AbortSignal): Promise<{ artifact_id: string }> {
  let lastError: Error | null = null;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (attempt) await new Promise((r) => setTimeout(r, 1000 * attempt));
    try {
      return await once(input, signal);
    } catch (err) {
      lastError = err as Error;
      if ((err as { final?: boolean }).final || signal?.aborted) break;
    }
  }
  throw new Error(`artifact upload failed: ${lastError?.message ?? 'unknown error'}`);
}

async function once(input: UploadInput, signal?: AbortSignal): Promise<{ artifact_id: string }> {
  const { size } = await fs.promises.stat(input.file);
  const target = new URL(input.url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'PUT',
        signal,
        headers: {
          authorization: `Bearer ${input.token}`,
          'content-type': 'application/octet-stream',
          'content-length': String(size),
          'x-artifact-digest': input.digest,
          'x-artifact-kind': input.kind,
          ...(input.imageRef ? { 'x-artifact-image-ref': input.imageRef } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text.length < 100_000 ? (text += c) : undefined));
        res.on('end', () => {
          let body: { data?: { artifact_id?: string }; error?: { message?: string } } = {};
          try {
            body = JSON.parse(text) as typeof body;
          } catch {
            /* not JSON */
          }
          const status = res.statusCode ?? 500;
          if (status < 300 && body.data?.artifact_id) return resolve({ artifact_id: body.data.artifact_id });
          const err = Object.assign(new Error(`HTTP ${status}${body.error?.message ? `: ${body.error.message}` : ''}`), { final: status < 500 });
          reject(err);
        });
      },
    );
    req.on('error', reject);
    fs.createReadStream(input.file).on('error', (err) => req.destroy(err)).pipe(req);
  });
}
