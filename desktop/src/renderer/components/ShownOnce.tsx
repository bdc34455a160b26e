import type { ReactNode } from 'react';
import { CopyButton } from './ui.js';

export interface ShownValue {
  text: string;
  testId?: string;
  /** A shell command (smaller type). */
  command?: boolean;
}

/**
 * A secret the API answers with once and never again (an API token, an agent's install command, an
 * invite link, a webhook secret): the note saying so, each value with a copy button, and the button
 * that puts it away. The value lives only in the mutation's answer, so closing loses it for good.
 */
export function ShownOnce({ note, noteClassName, values, done }: { note: ReactNode; noteClassName?: string; values: ShownValue[]; done?: { label: string; onClick: () => void } }) {
  return (
    <div className="stack">
      <p className={noteClassName}>{note}</p>
      {values.map((v) => (
        <div className="copy-row" key={v.text}>
          <code className={v.command ? 'command' : undefined} data-testid={v.testId}>
            {v.text}
          </code>
          <CopyButton text={v.text} />
        </div>
      ))}
      {done && (
        <button className="btn" onClick={done.onClick}>
          {done.label}
        </button>
      )}
    </div>
  );
}
