import type { Knex } from 'knex';
import type { TokenScope } from '@syntra/shared';
import { ApiTokenModel } from '../../db/models/index.js';
import { NotFoundError } from '../../errors.js';
import { newSecretToken, sha256Hex } from '../../lib/crypto.js';
import { iso } from '../../lib/iso.js';
import type { AuditService } from '../audit/index.js';
import { API_TOKEN_PREFIX } from '../auth/index.js';
import type { Actor, OrgService } from '../orgs/index.js';

/** Enough of the token to recognise it in a list; far too little to use it. */
const VISIBLE_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;

function toTokenDto(t: ApiTokenModel) {
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

export class TokenService {
  constructor(
    private readonly db: Knex,
    private readonly orgs: OrgService,
    private readonly audit: AuditService,
  ) {}

  async list(userId: string) {
    const rows = await ApiTokenModel.query(this.db).where({ user_id: userId }).orderBy('created_at', 'desc');
    return rows.map(toTokenDto);
  }

  async create(actor: Actor, input: { name: string; scopes: TokenScope[]; org_id?: string | undefined; expires_in_days?: number | undefined }) {
    // A token may only be bound to an organisation its owner belongs to; otherwise it does not exist for them.
    if (input.org_id && !(await this.orgs.roleOf(input.org_id, actor.userId))) throw new NotFoundError('Organisation');
    const token = newSecretToken(API_TOKEN_PREFIX);
    const row = await ApiTokenModel.query(this.db)
      .insert({
        user_id: actor.userId,
        org_id: input.org_id ?? null,
        name: input.name,
        token_hash: sha256Hex(token),
        token_prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
        scopes: [...new Set(input.scopes)],
        expires_at: input.expires_in_days ? new Date(Date.now() + input.expires_in_days * 86_400_000) : null,
      })
      .returning('*');
    await this.audit.record({ orgId: row.org_id, actorId: actor.userId, action: 'token.created', targetType: 'api_token', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: row.name, scopes: row.scopes } });
    return { ...toTokenDto(row), token };
  }

  async revoke(actor: Actor, tokenId: string) {
    const row = await ApiTokenModel.query(this.db).where({ id: tokenId, user_id: actor.userId }).first();
    if (!row) throw new NotFoundError('Token');
    await ApiTokenModel.query(this.db).deleteById(tokenId);
    await this.audit.record({ orgId: row.org_id, actorId: actor.userId, action: 'token.revoked', targetType: 'api_token', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: row.name } });
  }
}
