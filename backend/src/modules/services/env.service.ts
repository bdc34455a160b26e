import type { Knex } from 'knex';
import type { EffectivePermissions } from '@syntra/shared';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/index.js';
import type { Actor } from '../orgs/index.js';

export type EnvVars = Record<string, string>;

/**
 * A service's environment: one AES-256-GCM sealed JSON object per service (fresh nonce per write).
 * Values leave this class only for callers whose effective permissions (role AND token scope) hold
 * `env.reveal`, and for the agent's deploy frame; the audit log records keys, never values.
 */
export class EnvService {
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {}

  decrypt(sealed: string | null): EnvVars {
    return sealed ? this.box.openJson<EnvVars>(sealed) : {};
  }

  async read(serviceId: string): Promise<EnvVars> {
    const row = await this.db('services').select('env_vars_encrypted').where({ id: serviceId }).first();
    return this.decrypt((row?.env_vars_encrypted as string | null) ?? null);
  }

  async view(serviceId: string, can: EffectivePermissions) {
    const vars = await this.read(serviceId);
    const reveal = can.has('env.reveal');
    return {
      masked: !reveal,
      vars: Object.keys(vars)
        .sort()
        .map((key) => ({ key, value: reveal ? vars[key]! : null })),
    };
  }

  async replace(orgId: string, serviceId: string, actor: Actor, can: EffectivePermissions, vars: EnvVars) {
    return this.write(orgId, serviceId, actor, can, () => ({ ...vars }));
  }

  async patch(orgId: string, serviceId: string, actor: Actor, can: EffectivePermissions, set: EnvVars, unset: readonly string[]) {
    return this.write(orgId, serviceId, actor, can, (current) => {
      const next = { ...current, ...set };
      for (const key of unset) delete next[key];
      return next;
    });
  }

  private async write(orgId: string, serviceId: string, actor: Actor, can: EffectivePermissions, change: (current: EnvVars) => EnvVars) {
    const diff = await this.db.transaction(async (trx) => {
      const row = await trx('services').select('env_vars_encrypted').where({ id: serviceId }).forUpdate().first();
      const before = this.decrypt((row?.env_vars_encrypted as string | null) ?? null);
      const after = change(before);
      await trx('services').where({ id: serviceId }).update({ env_vars_encrypted: this.box.sealJson(after), updated_at: new Date() });
      return envKeyDiff(before, after);
    });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'service.env_changed', targetType: 'service', targetId: serviceId, ip: actor.ip, userAgent: actor.userAgent, metadata: diff });
    return this.view(serviceId, can);
  }
}

/** Which keys were added, removed or changed: names only. */
export function envKeyDiff(before: EnvVars, after: EnvVars) {
  const added = Object.keys(after).filter((k) => !(k in before)).sort();
  const removed = Object.keys(before).filter((k) => !(k in after)).sort();
  const changed = Object.keys(after).filter((k) => k in before && before[k] !== after[k]).sort();
  return { added, removed, changed };
}
