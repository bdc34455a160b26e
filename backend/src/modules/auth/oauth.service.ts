import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { CodeChallengeMethod, OAuth2Client, generateCodeVerifier, generateState } from 'arctic';
import type { OAuthProvider } from '@syntra/shared';
import { FeatureDisabledError, ForbiddenError, UnauthorizedError, ValidationError } from '../../errors.js';
import { constantTimeEqual, newSecretToken } from '../../lib/crypto.js';
import type { Actor, OrgService } from '../orgs/index.js';
import { AuthRepo } from './auth.repo.js';
import type { AuthService } from './auth.service.js';
import type { OAuthIdentity, OAuthProviderDef } from './oauth-providers.js';

const STATE_TTL_SECONDS = 600;
const HANDOFF_TTL_SECONDS = 60;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface PendingAuthorization {
  provider: OAuthProvider;
  verifier: string;
  redirectUri: string;
  /** The console's own PKCE challenge for the final hand-off (RFC 8252 for the desktop's loopback redirect). */
  consoleChallenge: string | null;
}

interface Handoff {
  userId: string;
  consoleChallenge: string | null;
}

/**
 * Sign-in with GitHub and Google: authorization code + PKCE + state against the provider, then a
 * one-time hand-off code delivered to the console's redirect URI (the web console or the desktop
 * app's loopback listener), which the console exchanges for a session — with its own PKCE verifier
 * when it started the flow with a challenge. Tokens never travel in a URL.
 */
export class OAuthService {
  private readonly repo: AuthRepo;

  constructor(
    private readonly db: Knex,
    private readonly redis: Redis,
    private readonly providers: Partial<Record<OAuthProvider, OAuthProviderDef>>,
    private readonly auth: AuthService,
    private readonly orgs: OrgService,
    private readonly publicUrl: string,
  ) {
    this.repo = new AuthRepo(db);
  }

  enabled(): OAuthProvider[] {
    return Object.keys(this.providers) as OAuthProvider[];
  }

  private provider(name: OAuthProvider): OAuthProviderDef {
    const def = this.providers[name];
    if (!def) {
      const upper = name.toUpperCase();
      throw new FeatureDisabledError(`Sign-in with ${name}`, `set ${upper}_CLIENT_ID and ${upper}_CLIENT_SECRET`);
    }
    return def;
  }

  private callbackUrl(name: OAuthProvider) {
    return `${this.publicUrl}/api/v1/auth/oauth/${name}/callback`;
  }

  /** The console's own origin, or a loopback address on any port (RFC 8252 §7.3). Nothing else. */
  private checkRedirectUri(uri: string | undefined): string {
    const target = uri ?? `${this.publicUrl}/auth/callback`;
    const url = new URL(target);
    const own = new URL(this.publicUrl);
    const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
    if (url.origin !== own.origin && !loopback) {
      throw new ValidationError('redirect_uri must be on this console or a loopback address');
    }
    return target;
  }

  async start(name: OAuthProvider, input: { redirect_uri?: string | undefined; code_challenge?: string | undefined }) {
    const def = this.provider(name);
    const redirectUri = this.checkRedirectUri(input.redirect_uri);
    const state = generateState();
    const verifier = generateCodeVerifier();
    const pending: PendingAuthorization = { provider: name, verifier, redirectUri, consoleChallenge: input.code_challenge ?? null };
    await this.redis.set(`oauth:state:${state}`, JSON.stringify(pending), 'EX', STATE_TTL_SECONDS);
    const client = new OAuth2Client(def.clientId, def.clientSecret, this.callbackUrl(name));
    return client.createAuthorizationURLWithPKCE(def.authorizationEndpoint, state, CodeChallengeMethod.S256, verifier, def.scopes).toString();
  }

  /** Returns where to send the browser: the console's redirect URI with a one-time hand-off code. */
  async callback(name: OAuthProvider, input: { code: string; state: string }): Promise<string> {
    const def = this.provider(name);
    const raw = await this.redis.getdel(`oauth:state:${input.state}`);
    if (!raw) throw new ValidationError('This sign-in link has expired or was already used; start again');
    const pending = JSON.parse(raw) as PendingAuthorization;
    if (pending.provider !== name) throw new ValidationError('State does not belong to this provider');

    const client = new OAuth2Client(def.clientId, def.clientSecret, this.callbackUrl(name));
    let identity: OAuthIdentity;
    try {
      const tokens = await client.validateAuthorizationCode(def.tokenEndpoint, input.code, pending.verifier);
      identity = await def.fetchIdentity(tokens.accessToken());
    } catch {
      throw new UnauthorizedError(`${name} did not accept the sign-in; try again`);
    }
    const userId = await this.findOrCreateUser(name, identity);
    const handoff = newSecretToken('syn_oh_');
    const value: Handoff = { userId, consoleChallenge: pending.consoleChallenge };
    await this.redis.set(`oauth:handoff:${handoff}`, JSON.stringify(value), 'EX', HANDOFF_TTL_SECONDS);
    const target = new URL(pending.redirectUri);
    target.searchParams.set('code', handoff);
    target.searchParams.set('provider', name);
    return target.toString();
  }

  async exchange(input: { code: string; code_verifier?: string | undefined }, meta: Omit<Actor, 'userId'>) {
    const raw = await this.redis.getdel(`oauth:handoff:${input.code}`);
    if (!raw) throw new UnauthorizedError('This sign-in code has expired or was already used');
    const handoff = JSON.parse(raw) as Handoff;
    if (handoff.consoleChallenge) {
      const computed = input.code_verifier ? createHash('sha256').update(input.code_verifier).digest('base64url') : '';
      if (!constantTimeEqual(computed, handoff.consoleChallenge)) throw new UnauthorizedError('code_verifier does not match');
    }
    return this.auth.signInVerified(handoff.userId, 'oauth', meta);
  }

  /** Known link → that user; else a user with the same, provider-verified email gets linked; else a new account. */
  private async findOrCreateUser(name: OAuthProvider, identity: OAuthIdentity): Promise<string> {
    const linked = await this.repo.oauthLinkUserId(name, identity.providerUserId);
    if (linked) return linked;
    if (!identity.email || !identity.emailVerified) {
      throw new ForbiddenError(`Your ${name} account has no verified email address`);
    }
    const email = identity.email.toLowerCase();
    return this.db.transaction(async (trx) => {
      let user = await this.repo.userByEmailForUpdate(trx, email);
      if (!user) {
        // A new account by OAuth follows SYNTRA_SIGNUP like a registration; an invite sent to the
        // address the provider verified counts as the invite (the newest one is used).
        const [inviteId] = await this.orgs.liveInviteIdsFor(email, trx);
        const decision = await this.auth.signup.decide(trx, inviteId !== undefined);
        user = await this.repo.insertUser(trx, { email, name: identity.name, avatar_url: identity.avatarUrl, email_verified_at: new Date() });
        if (decision.kind === 'invite') await this.orgs.joinByInviteIdInTransaction(trx, inviteId!, { userId: user.id, ip: null, userAgent: null });
        else await this.orgs.createInTransaction(trx, user.id, `${identity.name ?? email.split('@')[0]}'s organisation`);
      } else if (!user.email_verified_at) {
        await this.repo.markEmailVerified(trx, user.id);
      }
      await this.repo.insertOAuthLink(trx, { provider: name, provider_user_id: identity.providerUserId, user_id: user.id, email });
      return user.id;
    });
  }
}
