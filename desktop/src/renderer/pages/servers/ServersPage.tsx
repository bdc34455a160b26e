import { type Server, SERVER_STATUSES, type ServerStatus } from '@syntra/shared';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Sparkline } from '../../components/Sparkline.js';
import { SERVER_STATUS_LABEL, ServerStatusBadge } from '../../components/StatusBadge.js';
import { EmptyState, ErrorState, PageHeader, Skeleton, timeAgo } from '../../components/ui.js';
import { useCan } from '../../lib/can.js';
import { useOrgId } from '../../lib/queries.js';
import { useServers, useSparkSeed, useUsageHistory } from '../../lib/servers.js';

const ROW = 48;

function memPercent(s: Server): number | null {
  return s.usage && s.memory_mb ? (s.usage.memory_used_mb / s.memory_mb) * 100 : null;
}

function Row({ server, top }: { server: Server; top: number }) {
  const history = useUsageHistory((h) => h.samples[server.id]);
  const navigate = useNavigate();
  // Rows flying past during a fast scroll do not ask; a row that stays on screen does.
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(true), 400);
    return () => clearTimeout(timer);
  }, []);
  const seed = useSparkSeed(server, settled).data;
  // Stored samples first, then what the stream delivered since this page opened.
  const cpu = [...(seed?.cpu ?? []), ...(history?.cpu ?? [])].slice(-30);
  const memMb = [...(seed?.memMb ?? []), ...(history?.memMb ?? [])].slice(-30);
  const mem = server.memory_mb ? memMb.map((mb) => (mb / server.memory_mb!) * 100) : [];
  if (cpu.length === 0 && server.usage) cpu.push(server.usage.cpu_percent);
  if (mem.length === 0 && memPercent(server) !== null) mem.push(memPercent(server)!);
  return (
    <div
      className="vrow"
      role="row"
      tabIndex={0}
      style={{ transform: `translateY(${top}px)`, height: ROW }}
      onClick={() => navigate(`/servers/${server.id}`)}
      onKeyDown={(e) => e.key === 'Enter' && navigate(`/servers/${server.id}`)}
      data-testid="server-row"
    >
      <span role="cell" className="c-name">
        <Link to={`/servers/${server.id}`} onClick={(e) => e.stopPropagation()}>
          {server.name}
        </Link>
        <span className="muted small">{server.hostname ?? server.public_ip ?? 'agent not connected yet'}</span>
      </span>
      <span role="cell" className="c-status">
        <ServerStatusBadge status={server.status} />
      </span>
      <span role="cell" className="c-spark">
        <Sparkline values={cpu} label="CPU" />
      </span>
      <span role="cell" className="c-spark">
        <Sparkline values={mem} label="Memory" />
      </span>
      <span role="cell" className="c-seen muted small">
        {timeAgo(server.last_heartbeat_at)}
      </span>
    </div>
  );
}

export default function ServersPage() {
  const orgId = useOrgId();
  const servers = useServers(orgId);
  const canWrite = useCan('servers.write');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<ServerStatus | ''>('');
  const scrollRef = useRef<HTMLDivElement>(null);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (servers.data ?? []).filter(
      (s) => (!status || s.status === status) && (!q || s.name.toLowerCase().includes(q) || (s.hostname ?? '').toLowerCase().includes(q) || s.tags.some((t) => t.includes(q))),
    );
  }, [servers.data, query, status]);
  const counts = useMemo(() => {
    const c = Object.fromEntries(SERVER_STATUSES.map((s) => [s, 0])) as Record<ServerStatus, number>;
    for (const s of servers.data ?? []) c[s.status]++;
    return c;
  }, [servers.data]);

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 12 });
  const addButton = canWrite && (
    <Link className="btn btn-primary" to="/servers/new">
      Add server
    </Link>
  );

  return (
    <>
      <PageHeader title="Servers" subtitle={servers.data ? `${counts.online} online · ${counts.offline + counts.error} offline · ${servers.data.length} total` : undefined} actions={addButton} />
      {servers.isPending && <Skeleton rows={8} height={28} />}
      {servers.isError && <ErrorState error={servers.error} retry={() => void servers.refetch()} />}
      {servers.data?.length === 0 && (
        <EmptyState title="No servers yet" action={addButton}>
          {canWrite ? 'Add a server: you get a one-line install command for its agent, and it shows up here live.' : 'An admin of this organisation can add servers.'}
        </EmptyState>
      )}
      {servers.data && servers.data.length > 0 && (
        <section className="card card-flush">
          <div className="toolbar">
            <input type="search" placeholder="Filter by name, host or tag" aria-label="Filter servers" value={query} onChange={(e) => setQuery(e.target.value)} />
            <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as ServerStatus | '')}>
              <option value="">All statuses</option>
              {SERVER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {SERVER_STATUS_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="vtable" role="table" aria-label="Servers" aria-rowcount={rows.length}>
            <div className="vrow vhead" role="row">
              <span role="columnheader" className="c-name">Name</span>
              <span role="columnheader" className="c-status">Status</span>
              <span role="columnheader" className="c-spark">CPU</span>
              <span role="columnheader" className="c-spark">Memory</span>
              <span role="columnheader" className="c-seen">Last seen</span>
            </div>
            <div className="vbody" ref={scrollRef} data-testid="servers-scroll">
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((item) => (
                  <Row key={rows[item.index]!.id} server={rows[item.index]!} top={item.start} />
                ))}
              </div>
            </div>
          </div>
          {rows.length === 0 && <EmptyState title="No server matches">Clear the filter to see all {servers.data.length} servers.</EmptyState>}
        </section>
      )}
    </>
  );
}
