import { contracts } from '@syntra/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { InlineError } from '../../components/ui.js';
import { alertKeys } from '../../lib/alerts.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';

/** Acknowledge an alert event (builders; once). */
export function AckButton({ eventId, acknowledged }: { eventId: string; acknowledged: boolean }) {
  const canAck = useCan('alerts.write');
  const client = useQueryClient();
  const ack = useMutation({
    mutationFn: () => call(contracts.postAlertEventsByEventIdAck, { params: { eventId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
  if (acknowledged) return <span className="muted small">acknowledged</span>;
  if (!canAck) return null;
  return (
    <>
      <button className="btn btn-small" data-testid="ack-alert" disabled={ack.isPending} onClick={() => ack.mutate()}>
        Acknowledge
      </button>
      <InlineError error={ack.error} />
    </>
  );
}
