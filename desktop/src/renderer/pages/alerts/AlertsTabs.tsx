import { NavLink } from 'react-router';

/** The alert pages' sub-navigation: events, rules, channels. */
export function AlertsTabs() {
  return (
    <nav className="row tabs" aria-label="Alerts">
      {[
        ['/alerts', 'Events'],
        ['/alerts/rules', 'Rules'],
        ['/alerts/channels', 'Channels'],
      ].map(([to, label]) => (
        <NavLink key={to} to={to!} end className={({ isActive }) => (isActive ? 'btn btn-ghost active' : 'btn btn-ghost')}>
          {label}
        </NavLink>
      ))}
    </nav>
  );
}
