/**
 * The one message every channel renders (README "Alert webhooks"): the webhook body as is, the
 * others' formats built from it. Built when the delivery is created and stored with it, so a
 * retry sends the same bytes.
 */
export interface NotificationMessage {
  version: 1;
  /** `alert.firing`, `alert.resolved`, `deploy.started`, `deploy.succeeded`, `deploy.failed`, `test`. */
  type: string;
  /** One line for people (Slack text, e-mail subject, PagerDuty summary). */
  title: string;
  status: string;
  severity: 'critical' | 'warning' | 'info';
  rule: { id: string; name: string; kind: string } | null;
  event: {
    id: string;
    status: string;
    severity: string;
    summary: string;
    started_at: string;
    fired_at: string | null;
    resolved_at: string | null;
    service_id: string | null;
    server_id: string | null;
  } | null;
  deployment: { id: string; service_id: string; status: string; error_message: string | null } | null;
  values: Record<string, unknown>;
  links: { console: string; event?: string; timeline?: string; deployment?: string };
  org_id: string;
  sent_at: string;
}
