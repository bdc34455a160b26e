import { IssueList } from '../../features/issues/IssueList.js';

/** The service page's Errors tab: this service's issues (the organisation list, narrowed to it). */
export function ServiceErrors({ serviceId }: { serviceId: string }) {
  return <IssueList serviceId={serviceId} />;
}
