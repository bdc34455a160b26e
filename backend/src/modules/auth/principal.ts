import type { TokenScope } from '@syntra/shared';

/** Who is calling. Session tokens act with every scope (`scopes: null`); API tokens with theirs. */
export interface Principal {
  user: { id: string; email: string };
  kind: 'session' | 'api_token';
  scopes: TokenScope[] | null;
  /** An API token restricted to one organisation. */
  tokenOrgId: string | null;
  credentialId: string;
}
