import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { InlineError } from '../../components/ui.js';
import { contracts } from '@syntra/shared';
import { call } from '../../lib/api-client.js';
import { desktop } from '../../lib/platform.js';
import { completeSignIn, safeNext } from '../../lib/sign-in.js';
import { AuthLayout } from './AuthLayout.js';
import { OAuthButtons } from './OAuthButtons.js';

const LAST_URL = 'syntra.last_control_plane';

/** Desktop asks which control plane to use; the web console is always its own origin. */
export function ControlPlaneField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  if (!desktop) return null;
  return (
    <label className="field">
      <span>Control plane URL</span>
      <input type="url" required value={value} onChange={(e) => onChange(e.target.value)} placeholder="https://syntra.example.com" />
    </label>
  );
}

export function useControlPlaneUrl() {
  return useState(() => localStorage.getItem(LAST_URL) ?? 'http://localhost:8080');
}

export function rememberControlPlane(url: string) {
  if (desktop) localStorage.setItem(LAST_URL, url);
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const [baseUrl, setBaseUrl] = useControlPlaneUrl();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const origin = desktop ? baseUrl.replace(/\/$/, '') : '';

  return (
    <AuthLayout
      title="Sign in"
      foot={
        <>
          New here? <Link to={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
        </>
      }
    >
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            // The desktop sends the device proof it got at an earlier sign-in (the browser sends its cookie by itself).
            const device = desktop ? await desktop.session.deviceProof(origin, email).catch(() => null) : null;
            const headers = device ? { 'x-syntra-device': device } : undefined;
            const result = await call(contracts.postAuthLogin, { body: { email, password }, baseUrl: origin, token: null, headers });
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
          <span>Email</span>
          <input type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <InlineError error={error} />
        <button className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <OAuthButtons next={next} baseUrl={origin} onDone={() => navigate(next, { replace: true })} />
    </AuthLayout>
  );
}
