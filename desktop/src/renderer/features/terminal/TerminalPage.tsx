import { contracts } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { SessionHistory } from './SessionHistory.js';
import type { TerminalTargetInput } from './open-session.js';
import { TerminalTabs } from './TerminalTabs.js';
import './terminal.css';

/** `/servers/:serverId/terminal[?service=<id>]`: terminals to one server, in tabs. */
export default function TerminalPage() {
  const { serverId = '' } = useParams();
  const [params] = useSearchParams();
  const service = params.get('service');
  const server = useQuery({ queryKey: ['servers', serverId], queryFn: () => call(contracts.getServersByServerId, { params: { serverId } }) });
  const canAudit = useCan('audit.read');
  const target: TerminalTargetInput = service ? { kind: 'service', service_id: service } : { kind: 'host' };
  return (
    <>
      <PageHeader title={`Terminal · ${server.data?.name ?? '…'}`} subtitle={<Link to={`/servers/${serverId}`}>Back to the server</Link>} />
      <TerminalTabs serverId={serverId} initialTarget={target} />
      {canAudit && <SessionHistory serverId={serverId} />}
    </>
  );
}
