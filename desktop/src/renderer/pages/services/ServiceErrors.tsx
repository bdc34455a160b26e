import { IssueList } from '../../features/issues/IssueList.js';
import { DsnPanel } from './DsnPanel.js';

/** The service page's Errors tab: this service's issues (the organisation list, narrowed to it) and where its SDK sends them. */
export function ServiceErrors({ serviceId }: { serviceId: string }) {
  return (
    <>
      <IssueList serviceId={serviceId} />
      <DsnPanel serviceId={serviceId} />
    </>
  );
}
