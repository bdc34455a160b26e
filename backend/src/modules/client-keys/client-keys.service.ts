import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { NotFoundError } from '../../errors.js';
import { iso } from '../../lib/iso.js';
import type { AuditService } from '../audit/index.js';
import type { ClientKeyResolver, ResolvedClientKey } from '../ingest/index.js';
import type { Actor } from '../orgs/index.js';
import { ClientKeysRepo } from './client-keys.repo.js';
import type { ClientKeyRow } from './client-keys.tables.js';
import { TtlCache } from './key-cache.js';

/** What the client keys need of the services module (given at construction: services.ts). */
export interface ServiceDirectory {
  /** The service's organisation and project, any org's (the intake holds no org); undefined if gone. */
  locate(serviceId: string): Promise<{ orgId: string; projectId: string } | undefined>;
  /** 404 unless the service belongs to the org. */
  assertInOrg(orgId: string, serviceId: string): Promise<void>;
}

/** A resolved key with what the intake also needs per request: which browser origins may post. */
export interface IntakeKey extends ResolvedClientKey {
  /** null: any origin. */
  allowedOrigins: string[] | null;
}

/**
 * How long a key look-up is trusted. Revoking drops the entry in the revoking process at once; an
 * intake in another process (`syntra ingest`) stops accepting the key when its entry lapses, so
 * within this long everywhere.
 */
export const KEY_CACHE_TTL_MS = 2_000;

/** A Sentry-style public key: 32 lower-case hex characters. */
const newPublicKey = () => randomBytes(16).toString('hex');

/** `<scheme>://<public_key>@<host>[/<path>]/<project_ref>`: the DSN Sentry SDKs parse. */
export function dsnOf(publicUrl: string, publicKey: string, projectRef: number): string {
  const url = new URL(publicUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${publicKey}@${url.host}${prefix}/${projectRef}`;
}

/**
 * Client keys (the DSN) of services, and the key resolver of the intake. A service gets its
 * numeric project ref and first key in the transaction that creates it (`createForNewService`).
 */
export class ClientKeyService implements ClientKeyResolver {
  private readonly repo: ClientKeysRepo;
  private readonly keys = new TtlCache<IntakeKey | null>(KEY_CACHE_TTL_MS);
  private readonly refs = new TtlCache<{ serviceId: string; allowedOrigins: string[] | null } | null>(KEY_CACHE_TTL_MS);

  constructor(
    db: Knex,
    private readonly services: ServiceDirectory,
    private readonly audit: AuditService,
    private readonly publicUrl: string,
  ) {
    this.repo = new ClientKeysRepo(db);
  }

  /** Inside the services module's create transaction: the ref and one key, so a new service always has a DSN. */
  async createForNewService(trx: Knex.Transaction, serviceId: string): Promise<void> {
    await this.repo.ensureProject(serviceId, trx);
    await this.repo.insertKey(serviceId, newPublicKey(), trx);
  }

  async list(orgId: string, serviceId: string) {
    await this.services.assertInOrg(orgId, serviceId);
    const project = await this.repo.ensureProject(serviceId);
    return { items: (await this.repo.listKeys(serviceId)).map((k) => this.toDto(k, project.project_ref)) };
  }

  async create(orgId: string, serviceId: string, actor: Actor) {
    await this.services.assertInOrg(orgId, serviceId);
    const project = await this.repo.ensureProject(serviceId);
    const row = await this.repo.insertKey(serviceId, newPublicKey());
    await this.audit.record({ orgId, actorId: actor.userId, action: 'client_key.created', targetType: 'service', targetId: serviceId, ip: actor.ip, userAgent: actor.userAgent, metadata: { key_id: row.id } });
    return this.toDto(row, project.project_ref);
  }

  async revoke(orgId: string, serviceId: string, keyId: string, actor: Actor) {
    await this.services.assertInOrg(orgId, serviceId);
    const key = await this.repo.findKey(serviceId, keyId);
    if (!key) throw new NotFoundError('Client key');
    const row = await this.repo.revoke(keyId);
    this.keys.delete(row.public_key);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'client_key.revoked', targetType: 'service', targetId: serviceId, ip: actor.ip, userAgent: actor.userAgent, metadata: { key_id: row.id } });
    const project = await this.repo.ensureProject(serviceId);
    return this.toDto(row, project.project_ref);
  }

  /** The service's ref and allowed origins (the intake settings route adds the counters). */
  async intake(orgId: string, serviceId: string) {
    await this.services.assertInOrg(orgId, serviceId);
    const project = await this.repo.ensureProject(serviceId);
    return { project_ref: project.project_ref, allowed_origins: project.allowed_origins };
  }

  async setAllowedOrigins(orgId: string, serviceId: string, origins: string[] | null, actor: Actor) {
    await this.services.assertInOrg(orgId, serviceId);
    const project = await this.repo.ensureProject(serviceId);
    const unique = origins ? [...new Set(origins.map((o) => o.toLowerCase()))] : null;
    await this.repo.setAllowedOrigins(serviceId, unique);
    this.keys.clear();
    this.refs.delete(String(project.project_ref));
    await this.audit.record({ orgId, actorId: actor.userId, action: 'service.intake_updated', targetType: 'service', targetId: serviceId, ip: actor.ip, userAgent: actor.userAgent, metadata: { allowed_origins: unique } });
    return { project_ref: project.project_ref, allowed_origins: unique };
  }

  /** The intake's look-up (cached, see KEY_CACHE_TTL_MS). */
  resolve(publicKey: string): Promise<IntakeKey | null> {
    if (!/^[0-9a-f]{32}$/.test(publicKey)) return Promise.resolve(null);
    return this.keys.get(publicKey, async () => {
      const row = await this.repo.byPublicKey(publicKey);
      if (!row) return null;
      const where = await this.services.locate(row.service_id);
      if (!where) return null;
      const project = await this.repo.findProject(row.service_id);
      return {
        keyId: row.id,
        publicKey: row.public_key,
        orgId: where.orgId,
        projectId: where.projectId,
        serviceId: row.service_id,
        projectRef: row.project_ref,
        revoked: row.revoked_at !== null,
        allowedOrigins: project?.allowed_origins ?? null,
      };
    });
  }

  /** The allowed origins of a ref, for CORS preflights (which carry no key). null entry: no such ref. */
  originsOfRef(projectRef: number) {
    return this.refs.get(String(projectRef), async () => {
      const row = await this.repo.findByRef(projectRef);
      return row ? { serviceId: row.service_id, allowedOrigins: row.allowed_origins } : null;
    });
  }

  /** A DSN for a service (its oldest live key, created if none) on `baseUrl` (default PUBLIC_URL): `npm start`'s self-reporting. */
  async dsnFor(serviceId: string, baseUrl = this.publicUrl): Promise<string> {
    const project = await this.repo.ensureProject(serviceId);
    const live = (await this.repo.listKeys(serviceId)).find((k) => !k.revoked_at) ?? (await this.repo.insertKey(serviceId, newPublicKey()));
    return dsnOf(baseUrl, live.public_key, project.project_ref);
  }

  private toDto(k: ClientKeyRow, projectRef: number) {
    return {
      id: k.id,
      public_key: k.public_key,
      dsn: dsnOf(this.publicUrl, k.public_key, projectRef),
      created_at: iso(k.created_at),
      revoked_at: iso(k.revoked_at),
    };
  }
}
