import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorState, Skeleton } from '../../components/ui.js';
import { contracts } from '@syntra/shared';
import { call } from '../../lib/api-client.js';
import { completeSignIn, safeNext, takeOAuthVerifier } from '../../lib/sign-in.js';
import { AuthLayout } from './AuthLayout.js';

/** Where the control plane sends the browser after OAuth: trade the one-time code (and our PKCE verifier) for a session. */
export default function AuthCallbackPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const code = params.get('code');
    const { verifier, next } = takeOAuthVerifier();
    if (!code) {
      setError(new Error(params.get('error_description') ?? params.get('error') ?? 'The sign-in did not return a code.'));
      return;
    }
    call(contracts.postAuthOauthExchange, { body: { code, ...(verifier ? { code_verifier: verifier } : {}) }, token: null })
      .then((result) => completeSignIn(result, ''))
      .then(() => navigate(safeNext(next ?? null), { replace: true }))
      .catch(setError);
  }, [params, navigate]);
  return (
    <AuthLayout title="Signing you in" foot={error ? <Link to="/login">Back to sign in</Link> : undefined}>
      {error ? <ErrorState error={error} /> : <Skeleton rows={2} />}
    </AuthLayout>
  );
}
