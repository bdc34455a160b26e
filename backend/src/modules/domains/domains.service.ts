import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { DOMAIN_CHALLENGE_PREFIX } from '@syntra/shared';
import { ConflictError, NotFoundError } from '../../errors.js';
import { iso } from '../../lib/iso.js';
import type { AuditService } from '../audit/index.js';
import type { Actor } from '../orgs/index.js';
import { lookupError, type TxtResolver } from './dns-verifier.js';
import { challengeName } from './domain-names.js';
import { type DomainClaimRow, DomainsRepo } from './domains.repo.js';

const newToken = () => randomBytes(24).toString('hex');

function statusOf(row: DomainClaimRow) {
  if (!row.active) return 'contending' as const;
  return row.verified_at ? ('verified' as const) : ('pending' as const);
}

function toClaimDto(row: DomainClaimRow, usedBy: Array<{ service_id: string; name: string }>) {
  return {
    id: row.id,
    hostname: row.hostname,
    status: statusOf(row),
    used_by: usedBy,
    verification: { record_type: 'TXT' as const, record_name: challengeName(row.hostname), record_value: `${DOMAIN_CHALLENGE_PREFIX}${row.verification_token}` },
    verified_at: iso(row.verified_at),
    last_checked_at: iso(row.last_checked_at),
    last_error: row.last_error,
    created_at: iso(row.created_at)!,
  };
}

/**
 * What the domains module needs of the services that carry hostnames (the services module, given at
 * construction): which of an org's services use a name, and taking a name off a service.
 */
export interface HostnameHolders {
  usage(orgId: string, hostnames: readonly string[], trx?: Knex): Promise<Array<{ hostname: string; service_id: string; name: string }>>;
  release(trx: Knex.Transaction, serviceId: string, hostname: string): Promise<void>;
}

/**
 * Domains belong to organisations. The first organisation whose service uses a hostname (or that
 * claims it) holds it; from then on no other organisation may use it, nor a wildcard overlapping it
 * (either way round), until the claim is released. Within one organisation overlaps are fine.
 * Against squatting, ownership is proved with a DNS TXT record: another organisation may contend
 * for a held name, and once its record is found it takes the name over from a holder that never
 * proved it (the holder's services stop carrying it). A verified holder cannot be displaced.
 */
export class DomainService {
  private readonly repo: DomainsRepo;

  constructor(
    private readonly db: Knex,
    private readonly resolveTxt: TxtResolver,
    private readonly audit: AuditService,
    private readonly holders: HostnameHolders,
  ) {
    this.repo = new DomainsRepo(db);
  }

  orgIdOf(claimId: string) {
    return this.repo.orgIdOf(claimId);
  }

  /** Fails fast (409) when another organisation holds one of `hostnames` or an overlapping name. */
  async assertClaimable(orgId: string, hostnames: readonly string[], trx?: Knex) {
    for (const requested of hostnames) {
      const [hit] = await this.repo.foreignActive(orgId, requested, trx);
      if (!hit) continue;
      const how = hit.hostname === requested ? '' : ` (as ${hit.hostname})`;
      throw new ConflictError(`The domain ${requested} is claimed by another organisation${how}`);
    }
  }

  /** Inside the caller's transaction: the organisation holds every one of `hostnames` after it, race-free. */
  async claim(trx: Knex.Transaction, orgId: string, hostnames: readonly string[]) {
    if (!hostnames.length) return;
    await this.repo.lock(trx);
    await this.assertClaimable(orgId, hostnames, trx);
    await this.repo.upsertActive(trx, orgId, hostnames.map((hostname) => ({ hostname, verification_token: newToken() })));
  }

  /** Claims a name ahead of use (the existing claim if it has one); held by another organisation, the claim contends for it. */
  async create(orgId: string, actor: Actor, hostname: string) {
    const { row, created } = await this.db.transaction(async (trx) => {
      await this.repo.lock(trx);
      const existing = await this.repo.findByName(orgId, hostname, trx);
      if (existing) return { row: existing, created: false };
      const held = (await this.repo.foreignActive(orgId, hostname, trx)).length > 0;
      return { row: await this.repo.insert(trx, { org_id: orgId, hostname, active: !held, verification_token: newToken() }), created: true };
    });
    if (created) await this.audit.record({ orgId, actorId: actor.userId, action: 'domain.claimed', targetType: 'domain', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { hostname, status: statusOf(row) } });
    return this.get(orgId, row.id);
  }

  async list(orgId: string) {
    const rows = await this.repo.listForOrg(orgId);
    const usage = await this.holders.usage(orgId, rows.map((r) => r.hostname));
    return rows.map((r) => toClaimDto(r, usage.filter((u) => u.hostname === r.hostname).map(({ service_id, name }) => ({ service_id, name }))));
  }

  async get(orgId: string, claimId: string) {
    const row = await this.repo.find(claimId);
    if (!row || row.org_id !== orgId) throw new NotFoundError('Domain');
    const usage = await this.holders.usage(orgId, [row.hostname]);
    return toClaimDto(row, usage.map(({ service_id, name }) => ({ service_id, name })));
  }

  /** Looks the TXT record up now; the claim records the outcome either way (200 with its status). */
  async verify(orgId: string, claimId: string, actor: Actor) {
    const claim = await this.get(orgId, claimId);
    const error = await this.lookup(claim.verification.record_name, claim.verification.record_value);
    if (error) {
      await this.repo.markChecked(claimId, false, error);
      return this.get(orgId, claimId);
    }
    if (claim.status === 'contending') {
      const refused = await this.takeOver(orgId, claimId, actor);
      if (refused) {
        await this.repo.markChecked(claimId, false, refused);
        return this.get(orgId, claimId);
      }
    } else {
      await this.repo.markChecked(claimId, true, null);
    }
    if (claim.status !== 'verified') {
      await this.audit.record({ orgId, actorId: actor.userId, action: 'domain.verified', targetType: 'domain', targetId: claimId, ip: actor.ip, userAgent: actor.userAgent, metadata: { hostname: claim.hostname } });
    }
    return this.get(orgId, claimId);
  }

  /** Gives the hostname back to the installation; not while a service of the organisation uses it. */
  async release(orgId: string, claimId: string, actor: Actor) {
    const claim = await this.get(orgId, claimId);
    if (claim.used_by.length) {
      throw new ConflictError(`The domain ${claim.hostname} is used by ${claim.used_by.map((s) => s.name).join(', ')}; remove it there first`);
    }
    await this.repo.delete(claimId);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'domain.released', targetType: 'domain', targetId: claimId, ip: actor.ip, userAgent: actor.userAgent, metadata: { hostname: claim.hostname } });
  }

  /** null when the expected record is there; else why not, for the user. */
  private async lookup(name: string, expected: string): Promise<string | null> {
    try {
      const records = (await this.resolveTxt(name)).map((chunks) => chunks.join(''));
      if (records.includes(expected)) return null;
      return records.some((r) => r.startsWith(DOMAIN_CHALLENGE_PREFIX)) ? `The TXT record at ${name} holds another verification token` : `No ${DOMAIN_CHALLENGE_PREFIX}… TXT record at ${name} yet`;
    } catch (err) {
      return lookupError(name, err);
    }
  }

  /**
   * A proved contender takes the name from unverified holders (their claims and service domains go,
   * audited in their organisation). Returns why not when a holder has proved ownership too.
   */
  private async takeOver(orgId: string, claimId: string, actor: Actor): Promise<string | null> {
    return this.db.transaction(async (trx) => {
      await this.repo.lock(trx);
      const claim = (await this.repo.find(claimId, trx))!;
      const holders = await this.repo.foreignActive(orgId, claim.hostname, trx);
      const proved = holders.find((h) => h.verified_at);
      if (proved) return `${proved.hostname} is held by another organisation that has proved its ownership`;
      for (const holder of holders) {
        // The claim decides who may hold the name: the losing organisation's services stop carrying it.
        const services = await this.holders.usage(holder.org_id, [holder.hostname], trx);
        for (const s of services) await this.holders.release(trx, s.service_id, holder.hostname);
        await this.repo.delete(holder.id, trx);
        await this.audit.record(
          { orgId: holder.org_id, actorId: actor.userId, action: 'domain.taken_over', targetType: 'domain', targetId: holder.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { hostname: holder.hostname, by_claim: claim.hostname, services: services.map((s) => s.service_id) } },
          trx,
        );
      }
      await this.repo.activate(trx, claimId);
      await this.repo.markChecked(claimId, true, null, trx);
      return null;
    });
  }
}
