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

function toClaimDto(row: DomainClaimRow, usedBy: Array<{ service_id: string; name: string }>) {
  return {
    id: row.id,
    hostname: row.hostname,
    status: row.verified_at ? ('verified' as const) : ('pending' as const),
    used_by: usedBy,
    verification: { record_type: 'TXT' as const, record_name: challengeName(row.hostname), record_value: `${DOMAIN_CHALLENGE_PREFIX}${row.verification_token}` },
    verified_at: iso(row.verified_at),
    last_checked_at: iso(row.last_checked_at),
    last_error: row.last_error,
    created_at: iso(row.created_at)!,
  };
}

/**
 * Domains belong to organisations. The first organisation whose service uses a hostname claims it;
 * from then on no other organisation may use it, nor a wildcard overlapping it (either way round),
 * until the claim is released. Within one organisation overlaps are fine (its own routing).
 * Ownership is proved with a DNS TXT record; the status is shown, and a verified claim is what a
 * hosted installation can require before it routes or issues certificates.
 */
export class DomainService {
  private readonly repo: DomainsRepo;

  constructor(
    db: Knex,
    private readonly resolveTxt: TxtResolver,
    private readonly audit: AuditService,
  ) {
    this.repo = new DomainsRepo(db);
  }

  orgIdOf(claimId: string) {
    return this.repo.orgIdOf(claimId);
  }

  /** Fails fast (409) before any write when another organisation holds an overlapping claim. */
  async assertClaimable(orgId: string, hostnames: readonly string[], trx?: Knex) {
    const hit = await this.repo.foreignOverlap(orgId, hostnames, trx);
    if (!hit) return;
    const how = hit.claimed === hit.requested ? '' : ` (as ${hit.claimed})`;
    throw new ConflictError(`The domain ${hit.requested} is claimed by another organisation${how}`);
  }

  /** Inside the caller's transaction: claims what the organisation does not hold yet, race-free. */
  async claim(trx: Knex.Transaction, orgId: string, hostnames: readonly string[]) {
    if (!hostnames.length) return;
    await this.repo.lock(trx);
    await this.assertClaimable(orgId, hostnames, trx);
    await this.repo.insertMissing(trx, orgId, hostnames.map((hostname) => ({ hostname, verification_token: randomBytes(24).toString('hex') })));
  }

  async list(orgId: string) {
    const rows = await this.repo.listForOrg(orgId);
    const usage = await this.repo.usage(orgId, rows.map((r) => r.hostname));
    return rows.map((r) => toClaimDto(r, usage.filter((u) => u.hostname === r.hostname).map(({ service_id, name }) => ({ service_id, name }))));
  }

  async get(orgId: string, claimId: string) {
    const row = await this.repo.find(claimId);
    if (!row || row.org_id !== orgId) throw new NotFoundError('Domain');
    const usage = await this.repo.usage(orgId, [row.hostname]);
    return toClaimDto(row, usage.map(({ service_id, name }) => ({ service_id, name })));
  }

  /** Looks the TXT record up now; the claim records the outcome either way (200 with its status). */
  async verify(orgId: string, claimId: string, actor: Actor) {
    const claim = await this.get(orgId, claimId);
    const name = claim.verification.record_name;
    let error: string | null = null;
    try {
      const records = (await this.resolveTxt(name)).map((chunks) => chunks.join(''));
      if (!records.includes(claim.verification.record_value)) {
        error = records.some((r) => r.startsWith(DOMAIN_CHALLENGE_PREFIX)) ? `The TXT record at ${name} holds another verification token` : `No ${DOMAIN_CHALLENGE_PREFIX}… TXT record at ${name} yet`;
      }
    } catch (err) {
      error = lookupError(name, err);
    }
    await this.repo.markChecked(claimId, error === null, error);
    if (error === null && claim.status !== 'verified') {
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
}
