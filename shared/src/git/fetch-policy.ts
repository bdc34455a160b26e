import { z } from 'zod';
/** What the fetching side (an agent's builder) may reach for one build; decided by the control plane per organisation. */
export const GitFetchPolicySchema = z.object({
  /** file:// URLs and bare paths: only the installation's admin organisation. */
  allow_local: z.boolean(),
  /** Hosts resolving to loopback, link-local, private or unique-local addresses (SYNTRA_GIT_ALLOW_PRIVATE). */
  allow_private: z.boolean(),
  /** The control plane's own addresses: refused whatever allow_private says. */
  denied_addresses: z.array(z.string().max(64)).max(64),
});
export type GitFetchPolicy = z.infer<typeof GitFetchPolicySchema>;
