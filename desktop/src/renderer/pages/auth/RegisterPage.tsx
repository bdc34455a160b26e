import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { InlineError } from '../../components/ui.js';
import { fieldErrors } from '../../lib/api-error.js';
import { api } from '../../lib/api.js';
import { desktop } from '../../lib/platform.js';
import { completeSignIn, safeNext, type SessionResult } from '../../lib/sign-in.js';
import { AuthLayout } from './AuthLayout.js';
import { ControlPlaneField, rememberControlPlane, useControlPlaneUrl } from './LoginPage.js';

export default function RegisterPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
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
      <p className="muted">You get your own organisation; invite your team from it later.</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const result = await api<SessionResult>('/api/v1/auth/register', { method: 'POST', body: { name, email, password }, baseUrl: origin, token: null });
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
          <small className={fields.password ? 'field-error' : 'muted'}>{fields.password ?? 'At least 10 characters.'}</small>
        </label>
        <InlineError error={Object.keys(fields).length ? null : error} />
        <button className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
