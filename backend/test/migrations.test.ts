import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateLatest, migrateRollbackAll, type Knex } from '../src/db/knex.js';
import { createTestDatabase } from './support/test-env.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Knex;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { min: 0, max: 2 });
});
afterAll(async () => {
  await db.destroy();
  await database.drop();
});

async function tables(): Promise<string[]> {
  const rows = await db('information_schema.tables').where({ table_schema: 'public' }).select('table_name');
  return rows.map((r: { table_name: string }) => r.table_name).filter((t) => !t.startsWith('knex_'));
}

describe('migrations', () => {
  it('create the whole seed schema, roll back to nothing, and apply again', async () => {
    // error_events moved to ClickHouse (20261202_1310); the rest of the seed's tables are here.
    const seed = ['users', 'organizations', 'org_members', 'servers', 'projects', 'services', 'deployments', 'error_groups', 'health_checks', 'api_tokens', 'sessions', 'invites', 'audit_log'];
    expect(await tables()).toEqual(expect.arrayContaining(seed));
    const enums = await db.raw(`SELECT typname FROM pg_type WHERE typtype = 'e'`);
    expect(enums.rows.map((r: { typname: string }) => r.typname)).toEqual(expect.arrayContaining(['deployment_status', 'org_role', 'issue_severity']));

    await migrateRollbackAll(db);
    expect(await tables()).toEqual([]);
    expect((await db.raw(`SELECT count(*)::int AS n FROM pg_type WHERE typtype = 'e'`)).rows[0].n).toBe(0);

    expect((await migrateLatest(db)).length).toBeGreaterThan(0);
    expect(await migrateLatest(db)).toEqual([]); // idempotent
  });

  it('tables follow the seed relations: members join users to organisations, an organisation has its owner', async () => {
    const [user] = await db('users').insert({ email: 'rel@example.test', name: 'Rel' }).returning('*');
    const [org] = await db('organizations').insert({ name: 'Rel org', slug: 'rel-org', owner_id: user!.id, settings: {} }).returning('*');
    await db('org_members').insert({ org_id: org!.id, user_id: user!.id, role: 'admin' });
    const orgsOfUser = await db('organizations')
      .join('org_members', 'org_members.org_id', 'organizations.id')
      .where('org_members.user_id', user!.id)
      .select('organizations.id', 'org_members.role');
    expect(orgsOfUser).toEqual([expect.objectContaining({ id: org!.id, role: 'admin' })]);
    const owner = await db('organizations').join('users', 'users.id', 'organizations.owner_id').where('organizations.id', org!.id).first('users.email');
    expect(owner?.email).toBe('rel@example.test');
    // Deleting the user takes its memberships and owned organisations with it (ON DELETE CASCADE).
    await db('users').where({ id: user!.id }).delete();
    expect(await db('org_members').where({ user_id: user!.id })).toEqual([]);
    expect(await db('organizations').where({ id: org!.id })).toEqual([]);
  });
});
