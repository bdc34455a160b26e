import { useState } from 'react';
import type { TerminalTargetInput } from './open-session.js';
import { TerminalView } from './TerminalView.js';

interface Tab {
  key: number;
  title: string;
  target: TerminalTargetInput;
  status: string;
  record: boolean;
}

const HOST: TerminalTargetInput = { kind: 'host' };
let nextKey = 1;

/** Several terminal sessions to one server, in tabs; every tab keeps its session while hidden. */
export function TerminalTabs({ serverId, initialTarget = HOST }: { serverId: string; initialTarget?: TerminalTargetInput }) {
  const [record, setRecord] = useState(false);
  const newTab = (target: TerminalTargetInput, rec = record): Tab => {
    const key = nextKey++;
    return { key, title: `${target.kind === 'host' ? 'shell' : 'service'} ${key}${rec ? ' ●' : ''}`, target, status: 'connecting', record: rec };
  };
  const [tabs, setTabs] = useState<Tab[]>(() => [newTab(initialTarget, false)]);
  const [active, setActive] = useState(tabs[0]!.key);

  const add = () => {
    const tab = newTab(HOST);
    setTabs((t) => [...t, tab]);
    setActive(tab.key);
  };
  const close = (key: number) => {
    setTabs((t) => {
      const rest = t.filter((x) => x.key !== key);
      if (active === key && rest.length) setActive(rest[rest.length - 1]!.key);
      return rest;
    });
  };

  return (
    <div className="term-tabs">
      <div className="term-tablist" role="tablist">
        {tabs.map((tab) => (
          <div key={tab.key} role="tab" aria-selected={tab.key === active} className={`term-tab${tab.key === active ? ' active' : ''}`} onClick={() => setActive(tab.key)} title={tab.status}>
            <span>{tab.title}</span>
            <button className="term-tab-close" aria-label={`Close ${tab.title}`} onClick={(e) => (e.stopPropagation(), close(tab.key))}>
              ×
            </button>
          </div>
        ))}
        <button className="btn btn-small btn-ghost" onClick={add} aria-label="New terminal tab">
          + New tab
        </button>
        <label className="term-record" title="New tabs keep an asciicast recording, replayable from Recent sessions">
          <input type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} /> record new tabs
        </label>
      </div>
      {tabs.map((tab) => (
        <TerminalView
          key={tab.key}
          serverId={serverId}
          target={tab.target}
          active={tab.key === active}
          record={tab.record}
          onStatus={(status) => setTabs((t) => t.map((x) => (x.key === tab.key && x.status !== status ? { ...x, status } : x)))}
        />
      ))}
      {tabs.length === 0 && (
        <p className="muted">
          No terminal open. <button className="btn btn-small" onClick={add}>Open one</button>
        </p>
      )}
    </div>
  );
}
