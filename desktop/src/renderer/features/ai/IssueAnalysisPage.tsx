import { contracts } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { ErrorState, PageHeader, Skeleton } from '../../components/ui.js';
import { call } from '../../lib/api-client.js';
import { AnalysisPanel } from './AnalysisPanel.js';

/** /ai/issues/:issueId: an issue's AI analysis on its own page (the issue page embeds the same panel). */
export default function IssueAnalysisPage() {
  const { issueId } = useParams();
  const issue = useQuery({ queryKey: ['ai', 'issue-title', issueId], queryFn: () => call(contracts.getIssuesByIssueId, { params: { issueId: issueId! } }), enabled: !!issueId });
  if (issue.isError) return <ErrorState error={issue.error} retry={() => void issue.refetch()} />;
  if (!issue.data) return <Skeleton rows={4} />;
  return (
    <>
      <PageHeader title={issue.data.title} subtitle={issue.data.culprit ?? undefined} />
      <AnalysisPanel issueId={issue.data.id} />
    </>
  );
}
