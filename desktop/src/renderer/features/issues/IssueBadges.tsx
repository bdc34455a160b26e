import { Badge } from '../../components/ui.js';

type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'info';

const STATUS_TONE: Record<string, Tone> = { unresolved: 'warn', regressed: 'bad', resolved: 'ok', ignored: 'muted' };
const LEVEL_TONE: Record<string, Tone> = { fatal: 'bad', error: 'bad', warning: 'warn', info: 'info', debug: 'muted' };

export function IssueStatusBadge({ status }: { status: string }) {
  return (
    <span data-status={status}>
      <Badge tone={STATUS_TONE[status] ?? 'muted'}>{status}</Badge>
    </span>
  );
}

export function LevelBadge({ level }: { level: string }) {
  return <Badge tone={LEVEL_TONE[level] ?? 'muted'}>{level}</Badge>;
}
