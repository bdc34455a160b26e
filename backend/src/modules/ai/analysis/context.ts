import type { EventDetail, IssueDetail } from '@syntra/shared';
import type { Actor } from '../../orgs/index.js';
import type { RepoReader } from '../repo-reader.js';
import type { AnalysisPorts } from './ports.js';
import { Redactor } from './redact.js';

export interface ContextSection {
  title: string;
  body: string;
}

const MAX_FRAMES = 25;
const MAX_BREADCRUMBS = 30;
const SECTION_CHARS = 12_000;

const clip = (s: string, max = SECTION_CHARS) => (s.length > max ? `${s.slice(0, max)}\n… [truncated]` : s);

/** A frame's file as the repository names it: the longest tail of its path that is a file of the tree. */
export function repoPathOf(filename: string, tree: readonly string[]): string | null {
  const clean = filename.replace(/^[a-z]+:\/\/\/?/i, '').replace(/^\/+/, '').replace(/[?#].*$/, '');
  const parts = clean.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const tail = parts.slice(i).join('/');
    if (tree.includes(tail)) return tail;
  }
  return null;
}

function stackOf(event: EventDetail): { text: string; files: string[] } {
  const lines: string[] = [];
  const files: string[] = [];
  for (const ex of event.exceptions) {
    lines.push(`${ex.type ?? 'Error'}: ${ex.value ?? ''}${ex.mechanism?.handled === false ? ' (unhandled)' : ''}`);
    // Sentry's order is outermost first; the model reads the throwing frame first.
    for (const f of [...ex.frames].reverse().slice(0, MAX_FRAMES)) {
      const where = `${f.filename ?? f.abs_path ?? f.module ?? '?'}:${f.lineno ?? '?'}${f.colno ? `:${f.colno}` : ''} in ${f.function ?? '?'}`;
      if (!f.in_app) {
        lines.push(`  at ${where} (library)`);
        continue;
      }
      if (f.filename) files.push(f.filename);
      lines.push(`  at ${where} (in app)`);
      const ctx = [...f.pre_context.map((l) => `      ${l}`), f.context_line !== null ? `    > ${f.context_line}` : null, ...f.post_context.map((l) => `      ${l}`)].filter((l): l is string => l !== null);
      if (ctx.length) lines.push(...ctx);
    }
  }
  return { text: lines.join('\n') || '(no stack trace: a message event)', files: [...new Set(files)] };
}

/**
 * Builds what the model is shown about an issue, every section redacted: the issue and its counts,
 * the stack with in-app frames and their source context, breadcrumbs, tags, the request, the deploy
 * that introduced it with its commits and the diff of the files in the stack (from the git mirror on
 * the service's server), log lines around the first event, and similar issues.
 */
export async function buildAnalysisContext(ports: AnalysisPorts, repo: RepoReader, orgId: string, issueId: string, actor: Actor): Promise<{ issue: IssueDetail; sections: ContextSection[] }> {
  const issue = await ports.issue(orgId, issueId);
  const [latest, oldest, envValues] = await Promise.all([ports.event(orgId, issueId, 'latest'), ports.event(orgId, issueId, 'oldest'), ports.envValues(issue.service_id)]);
  const redactor = new Redactor(envValues);
  const sections: ContextSection[] = [];
  const add = (title: string, body: string) => sections.push({ title, body: redactor.text(clip(body)) });

  add('Issue', [
    `Title: ${issue.title}`,
    `Culprit: ${issue.culprit ?? '-'}`,
    `Level: ${issue.level}, status: ${issue.status}`,
    `Events: ${issue.event_count}, users: ${issue.user_count}, environments: ${issue.environments.join(', ') || '-'}`,
    `First seen ${issue.first_seen_at} (release ${issue.first_release ?? '-'}), last seen ${issue.last_seen_at} (release ${issue.last_release ?? '-'})`,
    `Events per hour, last 24 h: ${issue.stats_24h.join(' ')}`,
  ].join('\n'));

  const event = latest ?? oldest;
  const stack = event ? stackOf(event) : { text: '(no event stored)', files: [] };
  add('Stack trace (latest event)', stack.text);
  if (event) {
    add('Breadcrumbs (oldest first)', event.breadcrumbs.slice(-MAX_BREADCRUMBS).map((b) => `${b.timestamp ?? ''} [${b.level ?? 'info'}] ${b.category ?? b.type ?? ''}: ${b.message ?? ''}${b.data ? ` ${JSON.stringify(b.data).slice(0, 300)}` : ''}`).join('\n') || '(none)');
    add('Tags', Object.entries(event.tags).map(([k, v]) => `${k}=${v}`).join('\n') || '(none)');
    if (event.request) {
      // Header values of credentials are already "[Filtered]" by intake; only names and the shape go further.
      const r = event.request;
      add('Request', [`${r.method ?? ''} ${r.url ?? ''}${r.query_string ? `?${r.query_string}` : ''}`, `Headers: ${Object.keys(r.headers).join(', ') || '-'}`, r.data ? `Body: ${JSON.stringify(r.data).slice(0, 1500)}` : ''].filter(Boolean).join('\n'));
    }
    const runtime = ['runtime', 'os', 'browser'].map((k) => (event.contexts[k] ? `${k}: ${JSON.stringify(event.contexts[k]).slice(0, 300)}` : null)).filter(Boolean);
    if (runtime.length) add('Runtime', runtime.join('\n'));
  }

  await addDeploy(ports, repo, orgId, issue, stack.files, actor, add);

  if (oldest) {
    const first = new Date(oldest.timestamp).getTime();
    const lines = await ports.logs(orgId, issue.service_id, new Date(first - 60_000).toISOString(), new Date(first + 60_000).toISOString()).catch(() => []);
    add('Service log lines within a minute of the first event', lines.slice(-60).map((l) => `${l.ts} ${l.stream}: ${l.line}`).join('\n') || '(none recorded)');
  }

  if (issue.exception_type) {
    const similar = (await ports.similar(orgId, issue.exception_type).catch(() => [])).filter((i) => i.id !== issue.id).slice(0, 5);
    add('Similar issues in this organisation', similar.map((i) => `${i.title} — ${i.culprit ?? '-'} (${i.event_count} events, ${i.status}, first seen ${i.first_seen_at})`).join('\n') || '(none)');
  }
  return { issue, sections };
}

async function addDeploy(
  ports: AnalysisPorts,
  repo: RepoReader,
  orgId: string,
  issue: IssueDetail,
  stackFiles: string[],
  actor: Actor,
  add: (title: string, body: string) => void,
): Promise<void> {
  const introduced = issue.first_deployment;
  if (!introduced) {
    add('Deploy', '(no deployment was running when the first event happened)');
    return;
  }
  const all = await ports.deployments(orgId, issue.service_id).catch(() => []);
  const index = all.findIndex((d) => d.id === introduced.id);
  const previous = index >= 0 ? all.slice(index + 1).find((d) => d.git_commit_sha && d.git_commit_sha !== introduced.commit_sha) : undefined;
  const commits = previous ? await ports.commits(orgId, previous.id, introduced.id).catch(() => null) : null;
  add('Deploy that introduced the issue', [
    `Deployment ${introduced.id} at ${introduced.created_at}: commit ${introduced.commit_sha ?? '?'} ${introduced.commit_message ?? ''}`,
    previous ? `Previous deployment ${previous.id}: commit ${previous.git_commit_sha}` : 'No earlier deployment with a commit',
    commits ? `Commits in between${commits.complete ? '' : ' (incomplete)'}:\n${commits.messages.map((c) => `  ${c.sha.slice(0, 12)} ${c.message.split('\n')[0]}`).join('\n') || '  (none)'}` : '',
  ].filter(Boolean).join('\n'));
  if (!previous?.git_commit_sha || !introduced.commit_sha) return;
  try {
    const listing = await repo.read(orgId, issue.service_id, actor, { ref: introduced.commit_sha, tree: true, paths: [] });
    const paths = [...new Set(stackFiles.map((f) => repoPathOf(f, listing.tree)).filter((p): p is string => p !== null))].slice(0, 20);
    if (!paths.length) {
      add('Diff of the files in the stack', '(no in-app file of the stack was found in the repository)');
      return;
    }
    const diff = await repo.read(orgId, issue.service_id, actor, { tree: false, paths: [], diff: { from: previous.git_commit_sha, to: introduced.commit_sha, paths } });
    add(`Diff of the files in the stack (${paths.join(', ')})`, `${diff.diff || '(these files did not change in this deploy)'}${diff.diff_truncated ? '\n… [truncated]' : ''}`);
  } catch (err) {
    add('Diff of the files in the stack', `(not available: ${err instanceof Error ? err.message : 'the repository could not be read'})`);
  }
}
