import type { Knex } from 'knex';
import { TOKEN_SCOPES, type TokenScope } from '@syntra/shared';
import { isUniqueViolation } from '../../db/pg-errors.js';
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from '../../errors.js';
import { newSecretToken, sha256Hex } from '../../lib/crypto.js';
import { iso } from '../../lib/iso.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../lib/password.js';
import type { AuditService } from '../audit/index.js';
import type { Actor, OrgService } from '../orgs/index.js';
import { assertAcceptablePassword } from '../../lib/password-policy.js';
import type { LoginLimiter } from './login-limiter.js';
import type { RegisterLimiter } from './register-limiter.js';
import type { SignupPolicy } from './signup-policy.js';
import type { DeviceProofs } from './device-proof.js';
import type { Principal } from './principal.js';
import { toUserDto } from './user-dto.js';
import { AuthRepo } from './auth.repo.js';

export const SESSION_PREFIX = 'syn_s_';
export const API_TOKEN_PREFIX = 'syn_pat_';
/** `last_used_at` is written at most this often per credential, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const pickSummary = (o: { id: string; slug: string; name: string }) => ({ id: o.id, slug: o.slug, name: o.name });

export class AuthService {
  private readonly repo: AuthRepo;

  constructor(
    private readonly db: Knex,
    private readonly orgs: OrgService,
    private readonly audit: AuditService,
    private readonly limiter: LoginLimiter,
    private readonly sessionTtlMs: number,
    private readonly registerLimiter: RegisterLimiter,
    readonly signup: SignupPolicy,
    private readonly devices: DeviceProofs,
  ) {
    this.repo = new AuthRepo(db);
  }

  /**
   * The first account becomes the installation admin (owner of the oldest organisation); after it,
   * SYNTRA_SIGNUP decides (see SignupPolicy). With an invite the account joins the inviting
   * organisation with the invite's role and gets no personal organisation (it may create one later).
   */
  async register(input: { email: string; password: string; name: string; invite_token?: string | undefined }, meta: Omit<Actor, 'userId'>) {
    await this.registerLimiter.consume(meta.ip ?? 'unknown');
    assertAcceptablePassword(input.password, input);
    // Refuse a bad invite before spending a password hash on it; the transaction checks it again.
    if (input.invite_token && this.signup.mode !== 'closed') await this.orgs.checkInviteFor(input.invite_token, input.email);
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.db.transaction(async (trx) => {
        const decision = await this.signup.decide(trx, Boolean(input.invite_token));
        const user = await this.repo.insertUser(trx, { email: input.email, name: input.name, password_hash: passwordHash });
        const actor = { userId: user.id, email: user.email, ip: meta.ip, userAgent: meta.userAgent };
        const org = decision.kind === 'invite'
          ? (await this.orgs.joinByInviteInTransaction(trx, input.invite_token!, actor)).org
          : { ...pickSummary(await this.orgs.createInTransaction(trx, user.id, `${input.name}'s organisation`)), role: 'owner' as const };
        const session = await this.createSession(trx, user.id, meta);
        await this.audit.record({ orgId: org.id, actorId: user.id, action: 'user.registered', targetType: 'user', targetId: user.id, ip: meta.ip, userAgent: meta.userAgent, metadata: { signup: decision.kind } }, trx);
        return { user: toUserDto(user), ...session, org };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('An account with this email already exists');
      throw err;
    }
  }

  /** What the register page needs to know: the sign-up mode, and whether the next account is the first. */
  async signupStatus() {
    return { signup: this.signup.mode, first_account: !(await this.signup.hasAccounts(this.db)) };
  }

  /**
   * `deviceToken` is the device proof this client got at an earlier successful sign-in (cookie or
   * X-Syntra-Device header); with it, failures others caused on the account do not block it. The
   * answer carries a renewed proof for the client to keep.
   */
  async login(input: { email: string; password: string }, meta: Omit<Actor, 'userId'>, deviceToken: string | null = null) {
    const user = await this.repo.userByEmail(input.email);
    const proof = user ? this.devices.verify(deviceToken, user.id) : null;
    const attempt = { ip: meta.ip ?? 'unknown', email: input.email, deviceId: proof?.deviceId ?? null };
    await this.limiter.beforeAttempt(attempt);
    const ok = await verifyPassword(input.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) {
      await this.limiter.failed(attempt);
      await this.audit.record({ orgId: null, actorId: user?.id ?? null, action: 'auth.login_failed', ip: meta.ip, userAgent: meta.userAgent, metadata: { email: input.email, known_device: Boolean(proof) } });
      throw new UnauthorizedError('Invalid email or password');
    }
    await this.limiter.succeeded(attempt);
    const session = await this.createSession(this.db, user.id, meta);
    await this.audit.record({ orgId: null, actorId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, ip: meta.ip, userAgent: meta.userAgent, metadata: { method: 'password' } });
    return { user: toUserDto(user), ...session, device_token: this.devices.issue(user.id, proof?.deviceId) };
  }

  /** Starts a session for a user who proved who they are some other way (OAuth). */
  async signInVerified(userId: string, method: string, meta: Omit<Actor, 'userId'>) {
    const user = await this.userById(userId);
    const session = await this.createSession(this.db, user.id, meta);
    await this.audit.record({ orgId: null, actorId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, ip: meta.ip, userAgent: meta.userAgent, metadata: { method } });
    return { user: toUserDto(user), ...session };
  }

  async logout(principal: Principal, meta: Omit<Actor, 'userId'>) {
    if (principal.kind !== 'session') {
      throw new ValidationError('API tokens are not signed out; revoke them with DELETE /api/v1/tokens/:id');
    }
    await this.repo.revokeSession(principal.credentialId);
    await this.audit.record({ orgId: null, actorId: principal.user.id, action: 'auth.logout', ip: meta.ip, userAgent: meta.userAgent });
  }

  /** `onlyOrgId`: a token bound to that organisation sees only it. */
  async me(userId: string, onlyOrgId: string | null = null) {
    const user = await this.userById(userId);
    return { user: toUserDto(user), orgs: await this.orgs.summariesForUser(userId, onlyOrgId) };
  }

  /** Resolves a bearer token (session or API token) to who is calling, or null. */
  async authenticate(token: string): Promise<Principal | null> {
    if (token.length > 200) return null;
    const hash = sha256Hex(token);
    const now = Date.now();
    if (token.startsWith(SESSION_PREFIX)) {
      const row = await this.repo.sessionByTokenHash(hash, new Date(now));
      if (!row) return null;
      if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) await this.repo.touchSession(row.id, new Date(now));
      return { user: { id: row.user_id, email: row.email }, kind: 'session', scopes: null, tokenOrgId: null, credentialId: row.id };
    }
    if (token.startsWith(API_TOKEN_PREFIX)) {
      const row = await this.repo.apiTokenByHash(hash, new Date(now));
      if (!row) return null;
      if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) await this.repo.touchApiToken(row.id, new Date(now));
      const scopes = row.scopes.filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
      return { user: { id: row.user_id, email: row.email }, kind: 'api_token', scopes, tokenOrgId: row.org_id, credentialId: row.id };
    }
    return null;
  }

  /** Whether a credential (by its row id) still authenticates: not revoked, not expired. */
  async credentialAlive(kind: Principal['kind'], id: string): Promise<boolean> {
    const now = new Date();
    return kind === 'session' ? this.repo.sessionAlive(id, now) : this.repo.apiTokenAlive(id, now);
  }

  private async userById(userId: string) {
    const user = await this.repo.findUser(userId);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  private async createSession(db: Knex | Knex.Transaction, userId: string, meta: Omit<Actor, 'userId'>) {
    const token = newSecretToken(SESSION_PREFIX);
    const expiresAt = new Date(Date.now() + this.sessionTtlMs);
    await this.repo.insertSession(db, {
      user_id: userId,
      token_hash: sha256Hex(token),
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 500) ?? null,
      expires_at: expiresAt,
    });
    return { token, expires_at: iso(expiresAt) };
  }
}
