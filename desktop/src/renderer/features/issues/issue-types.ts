// Interim: the shapes of issue 12's issues API as the console reads them, until grouping's shared
// DTOs are merged (then these become re-exports of @syntra/shared).
import type { BreadcrumbLike } from './Breadcrumbs.js';
import type { ExceptionLike } from './StackTrace.js';

export interface FirstDeployment {
  id: string;
  commit_sha: string | null;
  commit_message: string | null;
  commit_author: string | null;
  created_at: string;
}

export interface Issue {
  id: string;
  project_id: string;
  service_id: string;
  title: string;
  culprit: string | null;
  exception_type: string | null;
  level: string;
  status: 'unresolved' | 'resolved' | 'ignored' | 'regressed';
  first_seen_at: string;
  last_seen_at: string;
  event_count: number;
  user_count: number;
  first_release: string | null;
  last_release: string | null;
  environments: string[];
  assigned_to: string | null;
  resolve_in_next_release: boolean;
  first_deployment: FirstDeployment | null;
  stats_24h?: number[];
  stats_14d?: number[];
}

export interface IssueEventDetail {
  event_id: string;
  timestamp: string;
  level: string;
  message: string | null;
  environment: string | null;
  release: string | null;
  deployment_id: string | null;
  exceptions: ExceptionLike[];
  breadcrumbs: BreadcrumbLike[];
  tags: Record<string, string>;
  contexts: Record<string, Record<string, unknown>>;
  request: { url?: string | null; method?: string | null; query_string?: unknown; headers?: Record<string, string> | null; data?: unknown } | null;
  user: { id?: string | null; email?: string | null; username?: string | null; ip_address?: string | null } | null;
  previous_event_id?: string | null;
  next_event_id?: string | null;
}

export type IssueStatusChange = { status: Issue['status']; resolve_in_next_release?: boolean };
