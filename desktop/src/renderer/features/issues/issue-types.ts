// The issues API's shapes as the console reads them (grouping's DTOs in @syntra/shared).
import type { EventDetail, IssueDeployment, IssueDetail, IssueListItem } from '@syntra/shared';

export type FirstDeployment = IssueDeployment;
/** A list row or the detail: both carry the sparkline counts. */
export type Issue = IssueListItem | IssueDetail;
export type IssueEventDetail = EventDetail;
export type IssueStatusChange = { status: 'unresolved' | 'resolved' | 'ignored'; resolve_in_next_release?: boolean };
