import { contracts } from '@syntra/shared';
import { useMutation } from '@tanstack/react-query';
import { ShownOnce } from '../../components/ShownOnce.js';
import { InlineError } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';

/**
 * Push-to-deploy from GitHub: the project's own webhook URL and secret. The secret is shown once
 * (a mutation's answer, never cached); setting it up again rotates it.
 */
export function ProjectWebhook({ projectId }: { projectId: string }) {
  const canWrite = useCan('projects.write');
  const setUp = useMutation({ mutationFn: () => call(contracts.postProjectsByProjectIdWebhook, { params: { projectId } }) });
  if (!canWrite) return null;
  return (
    <section className="card" data-testid="project-webhook">
      <div className="card-head">
        <h2>Push to deploy</h2>
        <button className="btn btn-small" disabled={setUp.isPending} onClick={() => setUp.mutate()}>
          {setUp.data ? 'Rotate secret' : 'Set up webhook'}
        </button>
      </div>
      {setUp.data ? (
        <ShownOnce
          noteClassName="muted small"
          note="GitHub: the repository’s settings → Webhooks, this payload URL, content type application/json, “Just the push event”. Copy the secret now: it is shown once."
          values={[{ text: setUp.data.url }, { text: setUp.data.secret, testId: 'webhook-secret' }]}
        />
      ) : (
        <p className="muted small">Deploys this project’s auto-deploy services on every push, signed with a secret of this project only. Setting it up again replaces the secret.</p>
      )}
      <InlineError error={setUp.error} />
    </section>
  );
}
