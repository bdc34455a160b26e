import type { Knex } from 'knex';
import type { ClientKeyRow, IntakeProjectRow } from './client-keys.tables.js';

export class ClientKeysRepo {
  constructor(private readonly db: Knex) {}

  /** The service's intake record, created on first need (services made before keys existed, or by hand). */
  async ensureProject(serviceId: string, trx?: Knex): Promise<IntakeProjectRow> {
    const q = trx ?? this.db;
    await q('intake_projects').insert({ service_id: serviceId }).onConflict('service_id').ignore();
    return (await q('intake_projects').where({ service_id: serviceId }).first())!;
  }

  findByRef(projectRef: number): Promise<IntakeProjectRow | undefined> {
    return this.db('intake_projects').where({ project_ref: projectRef }).first();
  }

  findProject(serviceId: string): Promise<IntakeProjectRow | undefined> {
    return this.db('intake_projects').where({ service_id: serviceId }).first();
  }

  async setAllowedOrigins(serviceId: string, origins: string[] | null): Promise<void> {
    await this.db('intake_projects').where({ service_id: serviceId }).update({ allowed_origins: origins });
  }

  async insertKey(serviceId: string, publicKey: string, trx?: Knex): Promise<ClientKeyRow> {
    const [row] = await (trx ?? this.db)('client_keys').insert({ service_id: serviceId, public_key: publicKey }).returning('*');
    return row!;
  }

  listKeys(serviceId: string): Promise<ClientKeyRow[]> {
    return this.db('client_keys').where({ service_id: serviceId }).orderBy('created_at', 'asc').orderBy('id');
  }

  findKey(serviceId: string, keyId: string): Promise<ClientKeyRow | undefined> {
    return this.db('client_keys').where({ service_id: serviceId, id: keyId }).first();
  }

  /** Sets `revoked_at` once (a second revoke keeps the first time). */
  async revoke(keyId: string): Promise<ClientKeyRow> {
    const [row] = await this.db('client_keys').where({ id: keyId }).update({ revoked_at: this.db.raw('COALESCE(revoked_at, now())') }).returning('*');
    return row!;
  }

  /** A key by its public part, with its service's ref. */
  async byPublicKey(publicKey: string): Promise<(ClientKeyRow & { project_ref: number }) | undefined> {
    const row = await this.db('client_keys')
      .join('intake_projects', 'intake_projects.service_id', 'client_keys.service_id')
      .where('client_keys.public_key', publicKey)
      .select('client_keys.*', 'intake_projects.project_ref')
      .first();
    return row as (ClientKeyRow & { project_ref: number }) | undefined;
  }
}
