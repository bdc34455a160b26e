import { describe, expect, it } from 'vitest';
import { contracts } from './index.js';
import { contractPath } from './path.js';

describe('contractPath', () => {
  it('fills path params, URI-encoded', () => {
    expect(contractPath(contracts.getInvitesByToken, { params: { token: 'a/b c?d' } })).toBe('/api/v1/invites/a%2Fb%20c%3Fd');
    expect(contractPath(contracts.deleteOrgsByOrgIdMembersByUserId, { params: { orgId: 'o1', userId: 'u1' } })).toBe('/api/v1/orgs/o1/members/u1');
  });

  it('appends the query, leaving out absent and empty values (no filter)', () => {
    expect(contractPath(contracts.getDeployments, { query: { limit: 20, latest: true, status: null, cursor: undefined, project_id: '' } })).toBe('/api/v1/deployments?limit=20&latest=true');
    expect(contractPath(contracts.getServersByServerIdMetrics, { params: { serverId: 's' }, query: { from: '2026-01-01T00:00:00.000Z' } })).toBe('/api/v1/servers/s/metrics?from=2026-01-01T00%3A00%3A00.000Z');
    expect(contractPath(contracts.getAuthMe, {})).toBe('/api/v1/auth/me');
  });

  it('refuses a missing path param rather than calling a wrong route', () => {
    expect(() => contractPath(contracts.getServersByServerId, { params: {} as { serverId: string } })).toThrow(/serverId/);
  });
});
