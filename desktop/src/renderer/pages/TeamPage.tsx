import { contracts, type OrgRole, rolesAssignableBy } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ShownOnce } from '../components/ShownOnce.js';
import { Badge, Dialog, EmptyState, ErrorState, InlineError, PageHeader, Skeleton, timeAgo } from '../components/ui.js';
import { call } from '../lib/api-client.js';
import { useCan, useRole } from '../lib/can.js';
import { useConnection } from '../lib/connection.js';
import { keys, type Member, useInvites, useMembers, useOrgId } from '../lib/queries.js';
import { useSession } from '../lib/session.js';

function InviteDialog({ orgId, open, onClose }: { orgId: string; open: boolean; onClose: () => void }) {
  const role = useRole();
  const client = useQueryClient();
  const roles = role ? rolesAssignableBy(role) : [];
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<OrgRole>('developer');
  const create = useMutation({
    mutationFn: () => call(contracts.postOrgsByOrgIdInvites, { params: { orgId: orgId! }, body: { email, role: inviteRole } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invites(orgId) }),
  });
  const close = () => {
    create.reset();
    setEmail('');
    onClose();
  };
  return (
    <Dialog title="Invite a member" open={open} onClose={close}>
      {create.data ? (
        <ShownOnce
          note={
            <>
              Send this link to <strong>{create.data.email}</strong>. It is shown once and works for that email only.
            </>
          }
          values={[{ text: create.data.accept_url, testId: 'invite-link' }]}
          done={{ label: 'Done', onClick: close }}
        />
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <label className="field">
            <span>Email</span>
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label className="field">
            <span>Role</span>
            <select value={inviteRole} onChange={(e) => setInviteRole(e.target.value as OrgRole)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <InlineError error={create.error} />
          <button className="btn btn-primary" disabled={create.isPending}>
            Create invite link
          </button>
        </form>
      )}
    </Dialog>
  );
}

function MemberRow({ orgId, member, lastOwner }: { orgId: string; member: Member; lastOwner: boolean }) {
  const me = useSession((s) => s.user);
  const role = useRole();
  const canManage = useCan('members.manage');
  const client = useQueryClient();
  const assignable = role ? rolesAssignableBy(role) : [];
  const isMe = me?.id === member.user.id;
  // Nobody changes a role above their own (only owners touch owners).
  const editable = canManage && !isMe && assignable.includes(member.role);
  const update = useMutation({
    mutationFn: (next: OrgRole) => call(contracts.patchOrgsByOrgIdMembersByUserId, { params: { orgId: orgId!, userId: member.user.id }, body: { role: next } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.members(orgId) }),
  });
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => call(contracts.deleteOrgsByOrgIdMembersByUserId, { params: { orgId: orgId!, userId: member.user.id } }),
    onSuccess: async () => {
      if (!isMe) return client.invalidateQueries({ queryKey: keys.members(orgId) });
      // Left the organisation: reload the profile and go to another one.
      const me = await client.fetchQuery({ queryKey: keys.me, queryFn: () => call(contracts.getAuthMe, {}), staleTime: 0 });
      useSession.getState().setProfile(me.user, me.orgs);
      if (me.orgs[0]) useSession.getState().setOrg(me.orgs[0].id);
      navigate('/');
    },
  });
  const online = useConnection((s) => s.online);
  return (
    <tr>
      <td>
        <div>{member.user.name ?? member.user.email}</div>
        <div className="muted small">{member.user.email}</div>
      </td>
      <td>
        {editable ? (
          <select aria-label={`Role of ${member.user.email}`} value={member.role} disabled={update.isPending} onChange={(e) => update.mutate(e.target.value as OrgRole)}>
            {assignable.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          <Badge tone={member.role === 'owner' ? 'info' : 'muted'}>{member.role}</Badge>
        )}
        <InlineError error={update.error ?? remove.error} />
      </td>
      <td className="muted small">{member.joined_at ? timeAgo(member.joined_at) : 'pending'}</td>
      <td className="actions">
        {editable && (
          <button className="btn btn-small btn-danger" onClick={() => confirm(`Remove ${member.user.email} from the organisation?`) && remove.mutate()}>
            Remove
          </button>
        )}
        {isMe && online && !lastOwner && (
          <button className="btn btn-small" onClick={() => confirm('Leave this organisation? You lose access until someone invites you again.') && remove.mutate()}>
            Leave
          </button>
        )}
      </td>
    </tr>
  );
}

export default function TeamPage() {
  const orgId = useOrgId();
  const [params, setParams] = useSearchParams();
  const canInvite = useCan('invites.create');
  const members = useMembers(orgId);
  const invites = useInvites(orgId, canInvite);
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: string) => call(contracts.deleteOrgsByOrgIdInvitesByInviteId, { params: { orgId: orgId!, inviteId: id } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invites(orgId ?? '') }),
  });
  const inviteOpen = params.get('invite') === '1' && canInvite;
  if (!orgId) return <Skeleton />;
  return (
    <>
      <PageHeader
        title="Team"
        subtitle="Who can see and change this organisation."
        actions={
          canInvite && (
            <button className="btn btn-primary" onClick={() => setParams({ invite: '1' })}>
              Invite member
            </button>
          )
        }
      />
      <section className="card">
        <h2>Members</h2>
        {members.isPending && <Skeleton rows={4} />}
        {members.isError && <ErrorState error={members.error} retry={() => void members.refetch()} />}
        {members.data && (
          <table className="table" data-testid="members-table">
            <thead>
              <tr>
                <th>Member</th>
                <th>Role</th>
                <th>Joined</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => (
                <MemberRow key={m.user.id} orgId={orgId} member={m} lastOwner={m.role === 'owner' && members.data.filter((x) => x.role === 'owner').length === 1} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canInvite && (
        <section className="card">
          <h2>Pending invites</h2>
          {invites.isPending && <Skeleton rows={2} />}
          {invites.isError && <ErrorState error={invites.error} />}
          {invites.data?.length === 0 && (
            <EmptyState title="No pending invites">Invite teammates by email; they get a link to join with the role you pick.</EmptyState>
          )}
          {invites.data && invites.data.length > 0 && (
            <table className="table">
              <tbody>
                {invites.data.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>
                      <Badge tone="muted">{i.role}</Badge>
                    </td>
                    <td className="muted small">expires {timeAgo(i.expires_at)}</td>
                    <td className="actions">
                      <button className="btn btn-small" onClick={() => revoke.mutate(i.id)}>
                        Revoke
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <InviteDialog orgId={orgId} open={inviteOpen} onClose={() => setParams({})} />
    </>
  );
}
