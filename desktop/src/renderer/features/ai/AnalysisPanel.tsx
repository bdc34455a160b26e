import { type AiAnalysis, contracts } from '@syntra/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Badge, InlineError, Skeleton, timeAgo } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { useCan } from '../../lib/can.js';
import { isAiOff } from './ai-queries.js';
import { AiOffNotice } from './AiOffNotice.js';
import { RichText } from './RichText.js';
import './ai.css';

const SEVERITY_TONE = { critical: 'bad', high: 'bad', medium: 'warn', low: 'info' } as const;

export const analysisKey = (issueId: string) => ['ai', 'issue-analysis', issueId] as const;

/**
 * The AI analysis of one issue (seed 5.3), for the issue detail page: ask for it, watch it run,
 * read root cause, why now, the fix, severity, scope and evidence, and open exactly what the model
 * was shown. Reads the issue itself (GET /issues/:issueId carries `ai_analysis`), polling while pending.
 */
export function AnalysisPanel({ issueId }: { issueId: string }) {
  const client = useQueryClient();
  const canAsk = useCan('ai.use');
  const issue = useQuery({
    queryKey: analysisKey(issueId),
    queryFn: () => call(contracts.getIssuesByIssueId, { params: { issueId } }),
    refetchInterval: (q) => (q.state.data?.ai_analysis?.status === 'pending' ? 1500 : false),
  });
  const start = useMutation({
    mutationFn: (forceRefresh: boolean) => call(contracts.postAiAnalyzeError, { body: { issue_id: issueId, force_refresh: forceRefresh } }),
    onSuccess: (res) => {
      client.setQueryData(analysisKey(issueId), (old: typeof issue.data) => (old ? { ...old, ai_analysis: res.analysis } : old));
      void client.invalidateQueries({ queryKey: analysisKey(issueId) });
    },
  });
  const analysis = issue.data?.ai_analysis ?? null;

  if (isAiOff(start.error)) return <AiOffNotice />;
  return (
    <section className="card ai-analysis" data-testid="ai-analysis-panel" data-status={analysis?.status ?? 'none'}>
      <div className="card-head">
        <h2>AI analysis</h2>
        {analysis?.status === 'done' && canAsk && (
          <button className="btn btn-small" disabled={start.isPending} onClick={() => start.mutate(true)}>
            Analyse again
          </button>
        )}
      </div>
      {issue.isPending && <Skeleton rows={3} />}
      {issue.data && !analysis && (
        <div className="stack">
          <p className="muted">
            The model reads this issue's stack trace with its source lines, breadcrumbs, tags and request, the deploy that introduced it with its commits and the diff of
            the files in the stack, log lines around the first event and similar issues. Environment values and tokens are removed first.
          </p>
          {canAsk && (
            <div>
              <button className="btn btn-primary" disabled={start.isPending} onClick={() => start.mutate(false)}>
                Analyse with AI
              </button>
            </div>
          )}
        </div>
      )}
      {analysis?.status === 'pending' && (
        <p className="ai-progress" data-testid="ai-analysis-progress">
          <span className="ai-spinner" aria-hidden /> Analysing: gathering the stack, the deploy's diff and the logs, then asking the model… (started {timeAgo(analysis.requested_at)})
        </p>
      )}
      {analysis?.status === 'failed' && (
        <div className="stack">
          <p className="bad" data-testid="ai-analysis-error">The analysis failed: {analysis.error}</p>
          {canAsk && (
            <div>
              <button className="btn" disabled={start.isPending} onClick={() => start.mutate(true)}>
                Try again
              </button>
            </div>
          )}
        </div>
      )}
      {analysis?.status === 'done' && <AnalysisResult analysis={analysis} />}
      {analysis && analysis.context.length > 0 && <WhatTheAiSaw analysis={analysis} />}
      <InlineError error={start.error ?? issue.error} />
    </section>
  );
}

function AnalysisResult({ analysis }: { analysis: AiAnalysis }) {
  return (
    <div className="stack" data-testid="ai-analysis-result">
      <div className="row">
        {analysis.severity && <Badge tone={SEVERITY_TONE[analysis.severity]}>{analysis.severity}</Badge>}
        <span className="muted small">
          {analysis.model} · {timeAgo(analysis.analyzed_at)}
          {analysis.trigger === 'auto' ? ' · automatic' : ''}
        </span>
      </div>
      <Field title="Root cause" text={analysis.root_cause} testId="ai-root-cause" />
      <Field title="Why now" text={analysis.why_now} testId="ai-why-now" />
      <Field title="Suggested fix" text={analysis.suggested_fix} testId="ai-suggested-fix" />
      <Field title="Affected" text={analysis.affected_scope} testId="ai-affected-scope" />
      {analysis.evidence.length > 0 && (
        <div>
          <h3>Evidence</h3>
          <ul className="list" data-testid="ai-evidence">
            {analysis.evidence.map((e, i) => (
              <li key={i}>
                <Badge tone="muted">{e.kind.replace('_', ' ')}</Badge> <strong>{e.label}</strong> <span className="muted">— {e.detail}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Field({ title, text, testId }: { title: string; text: string | null; testId: string }) {
  if (!text) return null;
  return (
    <div data-testid={testId}>
      <h3>{title}</h3>
      <div className="ai-analysis-text">
        <RichText text={text} />
      </div>
    </div>
  );
}

/** Exactly what was sent to the model, section by section, after redaction. */
function WhatTheAiSaw({ analysis }: { analysis: AiAnalysis }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="ai-saw">
      <button type="button" className="btn btn-ghost btn-small" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="ai-what-it-saw">
        {open ? '▾' : '▸'} What the AI saw ({analysis.context.length} sections)
      </button>
      {open &&
        analysis.context.map((s) => (
          <details key={s.title} className="ai-tool" open={s.title.startsWith('Stack')}>
            <summary className="ai-tool-head">{s.title}</summary>
            <div className="ai-tool-body">
              <pre>{s.body}</pre>
            </div>
          </details>
        ))}
    </div>
  );
}
