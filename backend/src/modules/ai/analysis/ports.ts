import type { AiAnalysis, EventDetail, IssueDetail, IssueListItem } from '@syntra/shared';

/** What the analysis reads and writes through other modules (services.ts wires the real ones). */
export interface AnalysisPorts {
  issue(orgId: string, issueId: string): Promise<IssueDetail>;
  event(orgId: string, issueId: string, which: 'latest' | 'oldest'): Promise<EventDetail | null>;
  /** Other issues of the organisation matching `q` (the exception type), most events first. */
  similar(orgId: string, q: string): Promise<IssueListItem[]>;
  /** The organisation's issues with the most events (candidates for automatic analysis). */
  busiest(orgId: string): Promise<IssueListItem[]>;
  record(orgId: string, issueId: string, analysis: AiAnalysis): Promise<void>;
  /** The service's deployments, newest first. */
  deployments(orgId: string, serviceId: string): Promise<Array<{ id: string; git_commit_sha: string | null; git_commit_message: string | null; created_at: string; status: string }>>;
  commits(orgId: string, fromDeploymentId: string, toDeploymentId: string): Promise<{ messages: Array<{ sha: string; message: string }>; complete: boolean }>;
  logs(orgId: string, serviceId: string, since: string, until: string): Promise<Array<{ ts: string; stream: string; line: string }>>;
  /** The service's env, read only to redact its values from what is sent; never sent itself. */
  envValues(serviceId: string): Promise<Record<string, string>>;
}
