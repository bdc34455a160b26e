import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { createBrowserRouter, createHashRouter, Navigate, Outlet, RouterProvider, useLocation, useNavigate } from 'react-router';
import { AppShell } from './components/AppShell.js';
import { ErrorState, Skeleton } from './components/ui.js';
import { reportLiveToDesktop } from './lib/live-report.js';
import { desktop } from './lib/platform.js';
import { useRecentDeployments } from './lib/projects.js';
import { useMe, useOrgId } from './lib/queries.js';
import { persistCacheFor, queryClient } from './lib/query-client.js';
import { followServerEvents, useServers } from './lib/servers.js';
import { useSession } from './lib/session.js';
import { connectStream } from './lib/stream.js';
import { followAlertEvents, useOpenAlerts } from './lib/alerts.js';

const LoginPage = lazy(() => import('./pages/auth/LoginPage.js'));
const RegisterPage = lazy(() => import('./pages/auth/RegisterPage.js'));
const InvitePage = lazy(() => import('./pages/auth/InvitePage.js'));
const AuthCallbackPage = lazy(() => import('./pages/auth/AuthCallbackPage.js'));
const OverviewPage = lazy(() => import('./pages/OverviewPage.js'));
const ServersPage = lazy(() => import('./pages/servers/ServersPage.js'));
const ServerDetailPage = lazy(() => import('./pages/servers/ServerDetailPage.js'));
const AddServerPage = lazy(() => import('./pages/servers/AddServerPage.js'));
const TerminalPage = lazy(() => import('./features/terminal/TerminalPage.js'));
const ProjectsPage = lazy(() => import('./pages/projects/ProjectsPage.js'));
const ProjectDetailPage = lazy(() => import('./pages/projects/ProjectDetailPage.js'));
const ServiceDetailPage = lazy(() => import('./pages/services/ServiceDetailPage.js'));
const DeploymentsPage = lazy(() => import('./pages/deployments/DeploymentsPage.js'));
const DeploymentPage = lazy(() => import('./pages/deployments/DeploymentPage.js'));
const TeamPage = lazy(() => import('./pages/TeamPage.js'));
const TokensPage = lazy(() => import('./pages/TokensPage.js'));
const SettingsPage = lazy(() => import('./pages/SettingsPage.js'));
const AuditPage = lazy(() => import('./pages/AuditPage.js'));
const IssuesPage = lazy(() => import('./pages/issues/IssuesPage.js'));
const IssueDetailPage = lazy(() => import('./pages/issues/IssueDetailPage.js'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.js'));
const AlertsPage = lazy(() => import('./pages/alerts/AlertsPage.js'));
const AlertEventPage = lazy(() => import('./pages/alerts/AlertEventPage.js'));
const AlertRulesPage = lazy(() => import('./pages/alerts/AlertRulesPage.js'));
const ChannelsPage = lazy(() => import('./pages/alerts/ChannelsPage.js'));
const TimelinePage = lazy(() => import('./pages/alerts/TimelinePage.js'));
const ObservabilityPage = lazy(() => import('./pages/observability/ObservabilityPage.js'));
const TracePage = lazy(() => import('./pages/observability/TracePage.js'));
const CopilotPage = lazy(() => import('./features/ai/CopilotPage.js'));
const IssueAnalysisPage = lazy(() => import('./features/ai/IssueAnalysisPage.js'));

/**
 * Desktop only: keeps the servers list and the recent deployments observed whatever page is open
 * (or with the window hidden to the tray), so the tray icon and notifications, which are computed
 * from those cache entries, never go stale or get garbage-collected. Stream events keep them fresh.
 */
function DesktopLiveFeed() {
  const orgId = useOrgId();
  useServers(orgId);
  useRecentDeployments(orgId);
  useOpenAlerts(orgId);
  return null;
}

/** Signed-in area: loads the profile, keeps the stream and the on-disk cache running. */
function RequireAuth() {
  const status = useSession((s) => s.status);
  const session = useSession((s) => s.session);
  const orgId = useSession((s) => s.orgId);
  const hasProfile = useSession((s) => s.user !== null);
  const signedOutBy = useSession((s) => s.signedOutBy);
  const location = useLocation();
  const me = useMe();

  useEffect(() => {
    if (me.data) useSession.getState().setProfile(me.data.user, me.data.orgs);
  }, [me.data]);
  useEffect(() => (session ? persistCacheFor(session.accountId) : undefined), [session]);
  useEffect(() => (session && orgId ? connectStream() : undefined), [session, orgId]);
  useEffect(() => followServerEvents(), []);
  useEffect(() => followAlertEvents(), []);
  useEffect(() => reportLiveToDesktop(), []);

  if (status === 'signed_out') {
    const next = signedOutBy === 'user' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  if (!hasProfile) {
    if (me.isError) return <ErrorState error={me.error} retry={() => void me.refetch()} />;
    return (
      <div className="boot">
        <Skeleton rows={5} />
      </div>
    );
  }
  return (
    <>
      {desktop && <DesktopLiveFeed />}
      <AppShell />
    </>
  );
}

/** Follows "open this page" requests from main (notification and tray clicks). */
function DesktopNavigation({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => desktop?.onNavigate((path) => navigate(path)), [navigate]);
  return children;
}

/** `/observability/issues?…` → `/issues?…`, filters kept. */
function ObservabilityIssuesRedirect() {
  const { search } = useLocation();
  return <Navigate to={`/issues${search}`} replace />;
}

function PublicOnly() {
  return (
    <Suspense fallback={<div className="boot"><Skeleton rows={4} /></div>}>
      <Outlet />
    </Suspense>
  );
}

const routes = [
  {
    element: (
      <DesktopNavigation>
        <Outlet />
      </DesktopNavigation>
    ),
    children: [
      {
        element: <PublicOnly />,
        children: [
          { path: '/login', element: <LoginPage /> },
          { path: '/register', element: <RegisterPage /> },
          { path: '/invite/:token', element: <InvitePage /> },
          { path: '/auth/callback', element: <AuthCallbackPage /> },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          { path: '/', element: <OverviewPage /> },
          { path: '/servers', element: <ServersPage /> },
          { path: '/servers/new', element: <AddServerPage /> },
          { path: '/servers/:serverId', element: <ServerDetailPage /> },
          { path: '/servers/:serverId/terminal', element: <TerminalPage /> },
          { path: '/projects', element: <ProjectsPage /> },
          { path: '/projects/:projectId', element: <ProjectDetailPage /> },
          { path: '/services/:serviceId', element: <ServiceDetailPage /> },
          { path: '/deployments', element: <DeploymentsPage /> },
          { path: '/deployments/:deploymentId', element: <DeploymentPage /> },
          { path: '/alerts', element: <AlertsPage /> },
          { path: '/alerts/events/:eventId', element: <AlertEventPage /> },
          { path: '/alerts/rules', element: <AlertRulesPage /> },
          { path: '/alerts/channels', element: <ChannelsPage /> },
          { path: '/services/:serviceId/timeline', element: <TimelinePage kind="service" /> },
          { path: '/servers/:serverId/timeline', element: <TimelinePage kind="server" /> },
          { path: '/team', element: <TeamPage /> },
          { path: '/settings', element: <SettingsPage /> },
          { path: '/settings/tokens', element: <TokensPage /> },
          { path: '/settings/audit', element: <AuditPage /> },
          { path: '/ai', element: <CopilotPage /> },
          { path: '/ai/:conversationId', element: <CopilotPage /> },
          { path: '/ai/issues/:issueId', element: <IssueAnalysisPage /> },
          { path: '/issues', element: <IssuesPage /> },
          // The seed's address for the issues list, beside the telemetry explorers.
          { path: '/observability/issues', element: <ObservabilityIssuesRedirect /> },
          { path: '/issues/:issueId', element: <IssueDetailPage /> },
          { path: '/observability', element: <Navigate to="/observability/logs" replace /> },
          { path: '/observability/traces/:traceId', element: <TracePage /> },
          { path: '/observability/:tab', element: <ObservabilityPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

// The desktop app loads a file:// page, where only hash routes work; the web console uses real paths
// (the backend answers every non-API path with index.html).
const router = desktop ? createHashRouter(routes) : createBrowserRouter(routes);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
