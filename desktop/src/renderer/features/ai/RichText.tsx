import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';

const LINK = /\[([^\]\n]{1,200})\]\(([^)\s]{1,500})\)|\*\*([^*\n]{1,500})\*\*|`([^`\n]{1,500})`/g;

/**
 * The model's answer as text with the few Markdown forms it is told to use: links (console paths
 * open in the app, others in a new tab, and only http(s)), **bold** and `code`. No HTML is ever
 * interpreted: the answer may quote logs or commit messages.
 */
export function RichText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>{inline(para)}</p>
      ))}
    </>
  );
}

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const [, label, href, bold, code] = m;
    if (label && href) {
      if (href.startsWith('/') && !href.startsWith('//')) out.push(<Link key={m.index} to={href} data-testid="ai-cited-link">{label}</Link>);
      else if (/^https?:\/\//.test(href)) out.push(<a key={m.index} href={href} target="_blank" rel="noreferrer noopener">{label}</a>);
      else out.push(label);
    } else if (bold) out.push(<strong key={m.index}>{bold}</strong>);
    else if (code) out.push(<code key={m.index}>{code}</code>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out.map((n, i) => (typeof n === 'string' ? <Fragment key={`t${i}`}>{n}</Fragment> : n));
}
