import type { Knex } from 'knex';
import { scopesAllow, type TokenScope } from '@syntra/shared';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { newSecretToken, sha256Hex } from '../../lib/crypto.js';
import { iso } from '../../lib/iso.js';
import type { AuditService } from '../audit/index.js';
import { API_TOKEN_PREFIX, type Principal } from '../auth/index.js';
import type { Actor, OrgService } from '../orgs/index.js';
import { TokensRepo } from './tokens.repo.js';
import type { ApiTokenRow } from './tokens.tables.js';

/** Enough of the token to recognise it in a list; far too little to use it. */
const VISIBLE_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;

function toTokenDto(t: ApiTokenRow) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.token_prefix,
    scopes: t.scopes,
    org_id: t.org_id,
    last_used_at: iso(t.last_used_at),
    expires_at: iso(t.expires_at),
    created_at: iso(t.created_at),
  };
}

/** Who is managing tokens: a session has full power; an API token only within its own limits. */
export type TokenCaller = Pick<Principal, 'kind' | 'scopes' | 'tokenOrgId' | 'credentialId'>;

export interface CreateTokenInput {
  name: string;
  scopes: TokenScope[];
  org_id?: string | undefined;
  expires_in_days?: number | undefined;
}

/**
 * API tokens. A token never begets more than itself: one minted by a token is bound to the same
 * organisation, expires no later, carries no scope the minting token lacks, and is revoked with it.
 * A token bound to an organisation sees and revokes only the tokens bound there (the others do not
 * exist for it).
 */
export class TokenService {
  private readonly repo: TokensRepo;

  constructor(
    db: Knex,
    private readonly orgs: OrgService,
    private readonly audit: AuditService,
  ) {
    this.repo = new TokensRepo(db);
  }

  async list(userId: string, caller: TokenCaller) {
    const rows = await this.repo.listOfUser(userId, caller.kind === 'api_token' ? caller.tokenOrgId : null);
    return rows.map(toTokenDto);
  }

  async create(actor: Actor, caller: TokenCaller, input: CreateTokenInput) {
    const { orgId, expiresAt } = await this.limitsFor(caller, input);
    // A token may only be bound to an organisation its owner belongs to; otherwise it does not exist for them.
    if (orgId && !(await this.orgs.roleOf(orgId, actor.userId))) throw new NotFoundError('Organisation');
    const token = newSecretToken(API_TOKEN_PREFIX);
    const row = await this.repo.insert({
      user_id: actor.userId,
      org_id: orgId,
      name: input.name,
      token_hash: sha256Hex(token),
      token_prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
      scopes: [...new Set(input.scopes)],
      expires_at: expiresAt,
      parent_id: caller.kind === 'api_token' ? caller.credentialId : null,
    });
    await this.audit.record({ orgId: row.org_id, actorId: actor.userId, action: 'token.created', targetType: 'api_token', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: row.name, scopes: row.scopes } });
    return { ...toTokenDto(row), token };
  }

  async revoke(actor: Actor, caller: TokenCaller, tokenId: string) {
    const row = await this.repo.findOfUser(tokenId, actor.userId);
    if (!row || (caller.kind === 'api_token' && caller.tokenOrgId && row.org_id !== caller.tokenOrgId)) throw new NotFoundError('Token');
    // Tokens it minted (and theirs) go with it: the foreign key cascades.
    const minted = await this.repo.descendantCount(tokenId);
    await this.repo.delete(tokenId);
    await this.audit.record({ orgId: row.org_id, actorId: actor.userId, action: 'token.revoked', targetType: 'api_token', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: row.name, minted_revoked: minted } });
  }

  /** The organisation and expiry of a new token; a token caller's own bounds are the ceiling (403 naming what was too much). */
  private async limitsFor(caller: TokenCaller, input: CreateTokenInput): Promise<{ orgId: string | null; expiresAt: Date | null }> {
    const requested = input.expires_in_days ? new Date(Date.now() + input.expires_in_days * 86_400_000) : null;
    if (caller.kind !== 'api_token') return { orgId: input.org_id ?? null, expiresAt: requested };

    const beyond = input.scopes.filter((s) => !scopesAllow(caller.scopes ?? [], s));
    if (beyond.length) {
      throw new ForbiddenError(`This API token cannot mint a token with scopes it lacks: ${beyond.map((s) => `"${s}"`).join(', ')}`);
    }
    if (caller.tokenOrgId && input.org_id && input.org_id !== caller.tokenOrgId) {
      throw new ForbiddenError(`This API token is bound to organisation ${caller.tokenOrgId}; a token it mints cannot be bound to another`);
    }
    const self = await this.repo.find(caller.credentialId);
    const ceiling = self?.expires_at ?? null;
    if (ceiling && requested && requested.getTime() > ceiling.getTime()) {
      throw new ForbiddenError(`This API token expires at ${ceiling.toISOString()}; a token it mints cannot expire later (asked ${input.expires_in_days} days)`);
    }
    // Without expires_in_days, a token minted by an expiring token inherits its expiry.
    return { orgId: caller.tokenOrgId ?? input.org_id ?? null, expiresAt: requested ?? ceiling };
  }
}
