import type { StreamEventData } from '@syntra/shared';
import { useEffect, useState } from 'react';
import { onStreamEvent } from '../../lib/stream.js';

/**
 * Issues that arrived (new or regressed) over the stream since this list opened, so their rows can
 * say so; the list itself refetches through the stream's query invalidation.
 */
export function useLiveIssueMarks(): Map<string, 'new' | 'regressed'> {
  const [marks, setMarks] = useState(() => new Map<string, 'new' | 'regressed'>());
  useEffect(
    () =>
      onStreamEvent((event) => {
        const { type } = event;
        if (type !== 'issue.created' && type !== 'issue.regressed') return;
        const id = (event.data as StreamEventData<'issue.created'>).issue_id;
        setMarks((m) => new Map(m).set(id, type === 'issue.created' ? 'new' : 'regressed'));
      }),
    [],
  );
  return marks;
}
