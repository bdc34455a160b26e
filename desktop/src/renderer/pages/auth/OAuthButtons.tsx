import { useState } from 'react';
import { InlineError } from '../../components/ui.js';
import { desktop } from '../../lib/platform.js';
import { useProviders } from '../../lib/queries.js';
import { restoreSession } from '../../lib/session.js';
import { startWebOAuth } from '../../lib/sign-in.js';

const LABEL = { github: 'GitHub', google: 'Google' } as const;

/** One button per provider the control plane has configured; none when OAuth is off. */
export function OAuthButtons({ next, baseUrl, onDone }: { next: string; baseUrl: string; onDone: () => void }) {
  const providers = useProviders();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const list = providers.data?.oauth ?? [];
  if (list.length === 0) return null;
  return (
    <div className="oauth">
      <div className="divider">
        <span>or</span>
      </div>
      {list.map((p) => (
        <button
          key={p}
          className="btn btn-block"
          disabled={busy}
          onClick={async () => {
            setError(null);
            if (!desktop) return void startWebOAuth(p, next);
            setBusy(true);
            try {
              await desktop.session.oauthSignIn(baseUrl, p);
              await restoreSession();
              onDone();
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? 'Waiting for the browser…' : `Continue with ${LABEL[p]}`}
        </button>
      ))}
      <InlineError error={error} />
    </div>
  );
}
