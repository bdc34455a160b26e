import type { ReactNode } from 'react';

export function AuthLayout({ title, children, foot }: { title: string; children: ReactNode; foot?: ReactNode }) {
  return (
    <div className="auth-page">
      <div className="auth-card">
        <div className="brand auth-brand">
          <span className="logo" aria-hidden>◎</span> Syntra
        </div>
        <h1>{title}</h1>
        {children}
        {foot && <div className="auth-foot muted">{foot}</div>}
      </div>
    </div>
  );
}
