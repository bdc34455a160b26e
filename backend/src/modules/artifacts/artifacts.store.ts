import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';

export interface ArtifactRow {
  id: string;
  org_id: string;
  service_id: string;
  kind: 'tarball' | 'image';
  storage_key: string | null;
  image_ref: string | null;
  digest: string;
  size_bytes: string | number;
  start_command: string | null;
  created_at: Date;
}

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
    await fs.promises.mkdir(this.dir, { recursive: true });
    const digest = await sha256File(file);
    const { size } = await fs.promises.stat(file);
    const [row] = (await this.db('artifacts')
      .insert({ org_id: owner.orgId, service_id: owner.serviceId, kind: 'tarball', digest, size_bytes: size, start_command: startCommand })
      .returning('*')) as ArtifactRow[];
    const key = `${row!.id}.tar.gz`;
    await fs.promises.copyFile(file, path.join(this.dir, key));
    await this.db('artifacts').where({ id: row!.id }).update({ storage_key: key });
    return { ...row!, storage_key: key };
  }

  /** An image (by reference) with its `docker save` archive, downloadable by agents whose engine lacks it. */
  async putImageArchive(owner: { orgId: string; serviceId: string }, file: string, imageRef: string, startCommand: string | null): Promise<ArtifactRow> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const digest = await sha256File(file);
    const { size } = await fs.promises.stat(file);
    const [row] = (await this.db('artifacts')
      .insert({ org_id: owner.orgId, service_id: owner.serviceId, kind: 'image', image_ref: imageRef, digest, size_bytes: size, start_command: startCommand })
      .returning('*')) as ArtifactRow[];
    const key = `${row!.id}.image.tar`;
    await fs.promises.copyFile(file, path.join(this.dir, key));
    await this.db('artifacts').where({ id: row!.id }).update({ storage_key: key });
    return { ...row!, storage_key: key };
  }

  async putImage(owner: { orgId: string; serviceId: string }, imageRef: string, digest: string, startCommand: string | null): Promise<ArtifactRow> {
    const [row] = (await this.db('artifacts')
      .insert({ org_id: owner.orgId, service_id: owner.serviceId, kind: 'image', image_ref: imageRef, digest, start_command: startCommand })
      .returning('*')) as ArtifactRow[];
    return row!;
  }

  async find(id: string): Promise<ArtifactRow | undefined> {
    return (await this.db('artifacts').where({ id }).first()) as ArtifactRow | undefined;
  }

  filePath(row: ArtifactRow): string | null {
    return row.storage_key ? path.join(this.dir, row.storage_key) : null;
  }
}
