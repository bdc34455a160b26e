import { Link } from 'react-router';
import { IssueList } from '../../features/issues/IssueList.js';

/** The service page's Errors tab: this service's issues (the organisation list, narrowed to it). */
export function ServiceErrors({ serviceId }: { serviceId: string }) {
  return (
    <>
      <IssueList serviceId={serviceId} />
      <p className="muted small service-errors-setup">
        Errors come from any Sentry SDK pointed at this service’s DSN: <Link to={`/services/${serviceId}?tab=keys`}>Client keys</Link> has it with setup snippets.
      </p>
    </>
  );
}
