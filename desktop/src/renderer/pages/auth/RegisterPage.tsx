import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { InlineError } from '../../components/ui.js';
import { fieldErrors } from '../../lib/api-error.js';
import { contracts } from '@syntra/shared';
import { call } from '../../lib/api-client.js';
import { type AuthProviders, useProviders } from '../../lib/queries.js';
import { desktop } from '../../lib/platform.js';
import { completeSignIn, safeNext } from '../../lib/sign-in.js';
import { AuthLayout } from './AuthLayout.js';
import { ControlPlaneField, rememberControlPlane, useControlPlaneUrl } from './LoginPage.js';

export default function RegisterPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  // From an invite link (/invite/:token): registering with it joins the inviting organisation.
  const invite = params.get('invite') ?? undefined;
  const providers = useProviders();
  const navigate = useNavigate();
  const [baseUrl, setBaseUrl] = useControlPlaneUrl();
  const [name, setName] = useState('');
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const origin = desktop ? baseUrl.replace(/\/$/, '') : '';
  const fields = fieldErrors(error);

  return (
    <AuthLayout
      title="Create your account"
      foot={
        <>
          Already have one? <Link to={`/login?next=${encodeURIComponent(next)}`}>Sign in</Link>
        </>
      }
    >
      <SignupNotice providers={providers.data} invited={!!invite} />
      {!refused(providers.data, !!invite) && (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setError(null);
            try {
              const result = await call(contracts.postAuthRegister, { body: { name, email, password, ...(invite ? { invite_token: invite } : {}) }, baseUrl: origin, token: null });
              rememberControlPlane(origin);
              await completeSignIn(result, origin);
              navigate(next, { replace: true });
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          <ControlPlaneField value={baseUrl} onChange={setBaseUrl} />
          <label className="field">
            <span>Name</span>
            <input required autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
            {fields.name && <small className="field-error">{fields.name}</small>}
          </label>
          <label className="field">
            <span>Email</span>
            <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            {fields.email && <small className="field-error">{fields.email}</small>}
          </label>
          <label className="field">
            <span>Password</span>
            <input type="password" autoComplete="new-password" required minLength={10} value={password} onChange={(e) => setPassword(e.target.value)} />
            <small className={fields.password ? 'field-error' : 'muted'}>{fields.password ?? 'At least 10 characters, and not a commonly used password.'}</small>
          </label>
          <InlineError error={Object.keys(fields).length ? null : error} />
          <button className="btn btn-primary btn-block" disabled={busy}>
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </form>
      )}
    </AuthLayout>
  );
}

/** The server would refuse this registration (INVITE_REQUIRED or SIGNUP_CLOSED): no form to fill in vain. */
function refused(providers: AuthProviders | undefined, invited: boolean): boolean {
  if (!providers || providers.first_account) return false;
  return providers.signup === 'closed' || (providers.signup === 'invite' && !invited);
}

/** What registering here means: the first account, an invite, open sign-up — or why it will be refused. */
function SignupNotice({ providers, invited }: { providers: AuthProviders | undefined; invited: boolean }) {
  if (!providers) return null;
  if (providers.first_account) {
    return <p className="muted">This is the first account: it administers this installation and owns its first organisation.</p>;
  }
  if (providers.signup === 'closed') {
    return (
      <p className="inline-error" role="alert" data-testid="signup-closed">
        Registration is closed on this installation. Ask its administrator to add you.
      </p>
    );
  }
  if (invited) return <p className="muted">You will join the organisation that invited you.</p>;
  if (providers.signup === 'invite') {
    return (
      <p className="inline-error" role="alert" data-testid="signup-invite-only">
        This installation registers people by invite only: ask an organisation owner or admin for an invite link, then open it.
      </p>
    );
  }
  return <p className="muted">You get your own organisation; invite your team from it later.</p>;
}
