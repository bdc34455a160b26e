import { contracts, type Service } from '@syntra/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Dialog, InlineError } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';

/**
 * Restarts the live deployment's instances on the service's server (no build, no new deployment).
 * Asks first: the agent starts fresh instances and switches traffic to them once healthy.
 */
export function RestartButton({ service }: { service: Service }) {
  const [open, setOpen] = useState(false);
  const restart = useMutation({
    mutationFn: () => call(contracts.postServicesByServiceIdRestart, { params: { serviceId: service.id } }),
    onSuccess: () => setOpen(false),
  });
  return (
    <>
      <button className="btn" disabled={!service.current_deployment_id || restart.isPending} title={service.current_deployment_id ? undefined : 'Not running: deploy it first'} onClick={() => setOpen(true)}>
        Restart
      </button>
      {restart.isSuccess && !open && (
        <span className="ok small" data-testid="restart-requested" role="status">
          Restart sent to the server
        </span>
      )}
      <Dialog title={`Restart ${service.name}?`} open={open} onClose={() => setOpen(false)}>
        <div className="stack">
          <p>
            The running deployment starts afresh on its server: new instances come up beside the current ones, and traffic moves to them once they pass the health check. Nothing is
            rebuilt.
          </p>
          <InlineError error={restart.error} />
          <div className="row">
            <button className="btn btn-primary" disabled={restart.isPending} onClick={() => restart.mutate()}>
              {restart.isPending ? 'Restarting…' : 'Restart'}
            </button>
            <button className="btn" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
