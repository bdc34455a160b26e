const QUESTIONS = [
  'Which of my servers are offline or under pressure?',
  'What failed in the last deployments?',
  'What changed in the last deploy of each service?',
  'Show me the recent errors in the logs of my services',
  'Which requests were slowest in the last hour, and why?',
  'What happened on my services in the last 24 hours?',
];

/** Starting points on an empty conversation. */
export function SuggestedQuestions({ onPick }: { onPick: (question: string) => void }) {
  return (
    <div className="ai-suggestions" data-testid="ai-suggestions">
      <p className="muted">Ask about your servers, services, deployments, errors, logs, traces and metrics. The co-pilot looks things up with your permissions and never changes anything without your approval.</p>
      <div className="row">
        {QUESTIONS.map((q) => (
          <button key={q} type="button" className="btn btn-small" onClick={() => onPick(q)}>
            {q}
          </button>
        ))}
      </div>
    </div>
  );
}
