import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { NotificationMessage } from './message.js';
import { type PostResult, postJson } from './http-post.js';

/** A channel's config with its secrets opened: what a sender needs, only in memory. */
export type OpenedConfig = Record<string, unknown>;

export interface SenderEnv {
  allowPrivate: boolean;
  smtpUrl: string | undefined;
  smtpFrom: string;
  pagerDutyEventsUrl: string;
}

/** `sha256=<hex HMAC-SHA256 of the body with the channel secret>`, the `X-Syntra-Signature` header. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const COLOURS = { critical: 0xd92d20, warning: 0xf79009, info: 0x2e90fa } as const;

function lines(m: NotificationMessage): string {
  const link = m.links.event ?? m.links.deployment ?? m.links.console;
  return `${m.title}\n${m.event?.summary ?? m.deployment?.error_message ?? ''}\n${link}`.replace(/\n\n/g, '\n');
}

/** Sends one message to one channel; the outcome is an attempt of the delivery log. */
export async function send(kind: string, config: OpenedConfig, message: NotificationMessage, deliveryId: string, env: SenderEnv): Promise<PostResult> {
  switch (kind) {
    case 'webhook': {
      const body = JSON.stringify(message);
      return postJson(String(config.url), body, { 'x-syntra-signature': signBody(body, String(config.secret)), 'x-syntra-delivery': deliveryId, 'x-syntra-event': message.type }, env.allowPrivate);
    }
    case 'slack':
      // Incoming webhooks: `text` is the message (and the notification's fallback); mrkdwn links.
      return postJson(String(config.webhook_url), JSON.stringify({ text: `*${m(message.title)}*\n${m(message.event?.summary ?? message.deployment?.error_message ?? '')}\n<${message.links.event ?? message.links.deployment ?? message.links.console}|Open in Syntra>` }), {}, env.allowPrivate);
    case 'discord':
      return postJson(
        String(config.webhook_url),
        JSON.stringify({
          content: message.title.slice(0, 2000),
          embeds: [{ title: message.title.slice(0, 256), description: lines(message).slice(0, 4096), url: message.links.event ?? message.links.deployment ?? message.links.console, color: COLOURS[message.severity] }],
          allowed_mentions: { parse: [] },
        }),
        {},
        env.allowPrivate,
      );
    case 'pagerduty': {
      // Events API v2: trigger on firing, resolve on resolved, same dedup key (the alert event).
      const resolve = message.type === 'alert.resolved';
      const body = {
        routing_key: String(config.routing_key),
        event_action: resolve ? 'resolve' : 'trigger',
        dedup_key: message.event ? `syntra-${message.event.id}` : `syntra-${message.type}-${deliveryId}`,
        ...(resolve
          ? {}
          : {
              payload: { summary: message.title.slice(0, 1024), source: 'syntra', severity: message.severity === 'critical' ? 'critical' : message.severity === 'warning' ? 'warning' : 'info', custom_details: message.values },
              links: [{ href: message.links.event ?? message.links.console, text: 'Open in Syntra' }],
            }),
      };
      // The Events API is public; its URL is fixed unless the operator points it elsewhere.
      return postJson(env.pagerDutyEventsUrl, JSON.stringify(body), {}, true);
    }
    case 'email':
      return sendMail(config, message, env);
    default:
      return { statusCode: null, error: `unknown channel kind ${kind}`, durationMs: 0 };
  }
}

/** Slack's mrkdwn escapes. */
function m(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function sendMail(config: OpenedConfig, message: NotificationMessage, env: SenderEnv): Promise<PostResult> {
  const started = Date.now();
  if (!env.smtpUrl) return { statusCode: null, error: 'e-mail channels need SMTP_URL on the installation', durationMs: 0 };
  const transport = nodemailer.createTransport(env.smtpUrl);
  try {
    const info = await transport.sendMail({
      from: env.smtpFrom,
      to: (config.to as string[]).join(', '),
      subject: `[Syntra] ${message.title}`.slice(0, 250),
      text: `${lines(message)}\n\n${JSON.stringify(message.values, null, 2)}\n`,
      headers: { 'X-Syntra-Event': message.type },
    });
    return { statusCode: info.rejected.length ? 550 : 250, error: info.rejected.length ? `rejected: ${info.rejected.join(', ')}` : null, durationMs: Date.now() - started };
  } catch (err) {
    return { statusCode: null, error: (err as Error).message.slice(0, 300), durationMs: Date.now() - started };
  } finally {
    transport.close();
  }
}
