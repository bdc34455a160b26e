import { Link } from 'react-router';
import { EmptyState } from '../components/ui.js';

export default function NotFoundPage() {
  return (
    <EmptyState title="Nothing here" action={<Link className="btn" to="/">Back to the overview</Link>}>
      The page does not exist, or it belongs to an organisation you are not a member of.
    </EmptyState>
  );
}
