import { contracts, type OrgRole } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorState, InlineError, Skeleton } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useSession } from '../../lib/session.js';
import { AuthLayout } from './AuthLayout.js';
import { NO_PERSIST } from '../../lib/query-client.js';

interface Preview {
  org_name: string;
  email: string;
  role: OrgRole;
  expires_at: string;
}

/** `${PUBLIC_URL}/invite/<token>`: what the invite is for, then sign in/register and accept. */
export default function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const status = useSession((s) => s.status);
  const user = useSession((s) => s.user);
  const setOrg = useSession((s) => s.setOrg);
  const preview = useQuery({ queryKey: ['invite', token], meta: NO_PERSIST, queryFn: (): Promise<Preview> => call(contracts.getInvitesByToken, { params: { token }, token: null }), retry: false });
  const accept = useMutation({
    mutationFn: () => call(contracts.postInvitesByTokenAccept, { params: { token } }),
    onSuccess: async ({ org }) => {
      await client.invalidateQueries({ queryKey: ['me'] });
      const me = await client.fetchQuery({ queryKey: ['me'], queryFn: () => call(contracts.getAuthMe, {}) });
      useSession.getState().setProfile(me.user, me.orgs);
      setOrg(org.id);
      navigate('/', { replace: true });
    },
  });
  const here = `/invite/${encodeURIComponent(token)}`;

  if (preview.isPending) return <AuthLayout title="Invitation"><Skeleton rows={3} /></AuthLayout>;
  if (preview.isError) {
    return (
      <AuthLayout title="Invitation" foot={<Link to="/">Go to the console</Link>}>
        <ErrorState error={preview.error} />
        <p className="muted">Invites expire and can be used once. Ask whoever invited you for a new link.</p>
      </AuthLayout>
    );
  }
  const invite = preview.data;
  const wrongAccount = status === 'signed_in' && user && user.email.toLowerCase() !== invite.email.toLowerCase();
  return (
    <AuthLayout title={`Join ${invite.org_name}`}>
      <p>
        <strong>{invite.email}</strong> is invited to <strong>{invite.org_name}</strong> as <strong>{invite.role}</strong>.
      </p>
      {status !== 'signed_in' && (
        <div className="stack">
          <Link className="btn btn-primary btn-block" to={`/register?email=${encodeURIComponent(invite.email)}&invite=${encodeURIComponent(token)}&next=/`}>
            Create an account as {invite.email}
          </Link>
          <Link className="btn btn-block" to={`/login?email=${encodeURIComponent(invite.email)}&next=${encodeURIComponent(here)}`}>
            I already have an account
          </Link>
        </div>
      )}
      {status === 'signed_in' && wrongAccount && (
        <p className="inline-error">
          You are signed in as {user.email}. Sign out and sign in as {invite.email} to accept.
        </p>
      )}
      {status === 'signed_in' && !wrongAccount && (
        <>
          <InlineError error={accept.error} />
          <button className="btn btn-primary btn-block" disabled={accept.isPending} onClick={() => accept.mutate()}>
            {accept.isPending ? 'Joining…' : `Accept and join ${invite.org_name}`}
          </button>
        </>
      )}
    </AuthLayout>
  );
}
