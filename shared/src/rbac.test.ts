import { describe, expect, it } from 'vitest';
import { PERMISSION_NAMES, effectivePermissions, roleCan } from './rbac.js';

describe('effectivePermissions: the role narrowed by the token', () => {
  it('a session holds every permission of its role, no more', () => {
    expect([...effectivePermissions('developer', null)].sort()).toEqual(PERMISSION_NAMES.filter((p) => roleCan('developer', p)).sort());
  });

  it('reveals env values only to write (or admin) tokens of roles that may reveal them', () => {
    expect(effectivePermissions('owner', ['read']).has('env.reveal')).toBe(false);
    expect(effectivePermissions('owner', ['deploy']).has('env.reveal')).toBe(false);
    expect(effectivePermissions('owner', ['write']).has('env.reveal')).toBe(true);
    expect(effectivePermissions('owner', ['admin']).has('env.reveal')).toBe(true);
    expect(effectivePermissions('viewer', ['admin']).has('env.reveal')).toBe(false);
  });

  it('an admin scope never lifts a role: a viewer with an admin token is still a viewer', () => {
    expect([...effectivePermissions('viewer', ['admin'])].sort()).toEqual([...effectivePermissions('viewer', null)].sort());
    expect(effectivePermissions('owner', ['read']).has('members.leave')).toBe(false);
  });
});
