import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactKind } from '@syntra/shared';
import type { Knex } from 'knex';
import { PayloadTooLargeError, ValidationError } from '../../errors.js';
import type { ArtifactRow } from './artifacts.tables.js';

export type { ArtifactRow };

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return `sha256:${hash.digest('hex')}`;
}

/** Build outputs as files under `<data dir>/artifacts`, indexed in PostgreSQL with their digest. */
export class ArtifactStore {
  readonly dir: string;

  constructor(
    private readonly db: Knex,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, 'artifacts');
  }

  /** Moves a finished tarball into the store. */
  async putTarball(owner: { orgId: string; serviceId: string }, file: string, startCommand: string | null): Promise<ArtifactRow> {
    await this.ensureDir();
    const digest = await sha256File(file);
    const { size } = await fs.promises.stat(file);
    const [row] = await this.db('artifacts')
      .insert({ org_id: owner.orgId, service_id: owner.serviceId, kind: 'tarball', digest, size_bytes: size, start_command: startCommand })
      .returning('*');
    const key = `${row!.id}.tar.gz`;
    await fs.promises.copyFile(file, path.join(this.dir, key));
    await this.db('artifacts').where({ id: row!.id }).update({ storage_key: key });
    return { ...row!, storage_key: key };
  }

  /** An image (by reference) with its `docker save` archive, downloadable by agents whose engine lacks it. */
  async putImageArchive(owner: { orgId: string; serviceId: string }, file: string, imageRef: string, startCommand: string | null): Promise<ArtifactRow> {
    await this.ensureDir();
    const digest = await sha256File(file);
    const { size } = await fs.promises.stat(file);
    const [row] = await this.db('artifacts')
      .insert({ org_id: owner.orgId, service_id: owner.serviceId, kind: 'image', image_ref: imageRef, digest, size_bytes: size, start_command: startCommand })
      .returning('*');
    const key = `${row!.id}.image.tar`;
    await fs.promises.copyFile(file, path.join(this.dir, key));
    await this.db('artifacts').where({ id: row!.id }).update({ storage_key: key });
    return { ...row!, storage_key: key };
  }

  async putImage(owner: { orgId: string; serviceId: string }, imageRef: string, digest: string, startCommand: string | null): Promise<ArtifactRow> {
    const [row] = await this.db('artifacts')
      .insert({ org_id: owner.orgId, service_id: owner.serviceId, kind: 'image', image_ref: imageRef, digest, start_command: startCommand })
      .returning('*');
    return row!;
  }

  /**
   * Streams an agent's upload into the store: refused (413) past `maxBytes`, and (400) unless its
   * SHA-256 is the digest the agent announced. A repeated upload of the same build returns the
   * artifact stored the first time.
   */
  async receive(
    owner: { orgId: string; serviceId: string; deploymentId: string },
    input: NodeJS.ReadableStream,
    meta: { kind: ArtifactKind; digest: string; imageRef: string | null; maxBytes: number },
  ): Promise<ArtifactRow> {
    const known = await this.db('artifacts').where({ deployment_id: owner.deploymentId, digest: meta.digest }).first();
    if (known?.storage_key && fs.existsSync(path.join(this.dir, known.storage_key))) {
      (input as NodeJS.ReadableStream & { resume(): void }).resume();
      return known;
    }
    await this.ensureDir();
    const partDir = path.join(this.dir, 'uploads');
    await fs.promises.mkdir(partDir, { recursive: true, mode: 0o700 });
    const part = path.join(partDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > meta.maxBytes) return done(new PayloadTooLargeError(`Artifacts are limited to ${Math.round(meta.maxBytes / 1048576)} MB (SYNTRA_ARTIFACT_MAX_MB)`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(input, meter, fs.createWriteStream(part));
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== meta.digest) throw new ValidationError(`The upload's sha256 is ${actual}, not the announced ${meta.digest}`);
      const [row] = await this.db('artifacts')
        .insert({ org_id: owner.orgId, service_id: owner.serviceId, deployment_id: owner.deploymentId, kind: meta.kind, image_ref: meta.imageRef, digest: actual, size_bytes: size })
        .returning('*');
      const key = `${row!.id}${meta.kind === 'image' ? '.image.tar' : '.tar.gz'}`;
      await fs.promises.rename(part, path.join(this.dir, key));
      await this.db('artifacts').where({ id: row!.id }).update({ storage_key: key });
      return { ...row!, storage_key: key };
    } finally {
      await fs.promises.rm(part, { force: true });
    }
  }

  async setStartCommand(id: string, startCommand: string | null) {
    await this.db('artifacts').where({ id }).update({ start_command: startCommand });
  }

  async find(id: string): Promise<ArtifactRow | undefined> {
    return this.db('artifacts').where({ id }).first();
  }

  /** Every organisation's build outputs: readable by the control plane's own user only. */
  private async ensureDir() {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.promises.chmod(this.dir, 0o700);
  }

  filePath(row: ArtifactRow): string | null {
    return row.storage_key ? path.join(this.dir, row.storage_key) : null;
  }
}
