import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  CHANNEL_CONFIG_SCHEMAS,
  CHANNEL_SECRET_FIELDS,
  type CreateNotificationChannelBody,
  type NotificationChannelKind,
  type UpdateNotificationChannelBody,
} from '@syntra/shared';
import { NotFoundError, ValidationError } from '../../errors.js';
import { parseOrThrow } from '../../http/validate.js';
import { iso } from '../../lib/iso.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { AuditService } from '../audit/index.js';
import type { Actor, OrgService } from '../orgs/index.js';
import type { NotificationMessage } from './message.js';
import { NOTIFY_ATTEMPTS, type NotifyQueue } from './notify-queue.js';
import { NotificationsRepo } from './notifications.repo.js';
import type { NotificationChannelRow, NotificationDeliveryRow } from './notifications.tables.js';
import { type OpenedConfig, type SenderEnv, send } from './senders.js';
import { channelUrlProblem, type Resolve, systemResolve } from './url-policy.js';

const URL_FIELDS = ['url', 'webhook_url'] as const;

export interface NotificationsOptions {
  /** SYNTRA_WEBHOOK_ALLOW_PRIVATE: private channel URLs for every organisation. */
  allowPrivate: boolean;
  smtpUrl: string | undefined;
  smtpFrom: string;
  pagerDutyEventsUrl: string;
  /** Console links in messages. */
  publicUrl: string;
  resolve?: Resolve;
}

function toChannelDto(row: NotificationChannelRow) {
  return {
    id: row.id,
    org_id: row.org_id,
    name: row.name,
    kind: row.kind as NotificationChannelKind,
    config: row.config,
    secrets_set: row.secrets_sealed ? [...(CHANNEL_SECRET_FIELDS[row.kind as NotificationChannelKind] ?? [])] : [],
    deploy_events: row.deploy_events as Array<'started' | 'succeeded' | 'failed'>,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function toDeliveryDto(row: NotificationDeliveryRow) {
  return {
    id: row.id,
    channel_id: row.channel_id,
    channel_name: row.channel_name,
    channel_kind: row.channel_kind,
    topic: row.topic.replace(/:.*$/, ''),
    status: row.status,
    attempts: row.attempts,
    delivered_at: iso(row.delivered_at),
    created_at: iso(row.created_at),
  };
}

/** What an alert or deploy step tells channels: the message and a topic unique per occurrence and transition. */
export interface Notice {
  orgId: string;
  topic: string;
  alertEventId: string | null;
  message: NotificationMessage;
}

/**
 * Notification channels and their deliveries. A channel's secrets (webhook secret, Slack/Discord
 * URLs, PagerDuty routing key) are sealed with the SecretBox and never leave this service except to
 * the receiver. Deliveries go through the BullMQ queue (retried with backoff) and are logged per attempt.
 */
export class NotificationService {
  private readonly repo: NotificationsRepo;
  private readonly resolve: Resolve;

  constructor(
    db: Knex,
    private readonly box: SecretBox,
    private readonly orgs: OrgService,
    private readonly audit: AuditService,
    readonly queue: NotifyQueue,
    private readonly opts: NotificationsOptions,
  ) {
    this.repo = new NotificationsRepo(db);
    this.resolve = opts.resolve ?? systemResolve;
  }

  orgIdOf(channelId: string) {
    return this.repo.orgIdOfChannel(channelId);
  }

  async list(orgId: string) {
    return { items: (await this.repo.listChannels(orgId)).map(toChannelDto) };
  }

  async create(orgId: string, actor: Actor, input: CreateNotificationChannelBody) {
    await this.assertUrlsAllowed(orgId, input.config);
    const { plain, sealed } = this.split(input.kind, input.config);
    const row = await this.repo.insertChannel({ org_id: orgId, name: input.name, kind: input.kind, config: plain, secrets_sealed: sealed, deploy_events: input.deploy_events, created_by: actor.userId });
    await this.audit.record({ orgId, actorId: actor.userId, action: 'notification_channel.created', targetType: 'notification_channel', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: row.name, kind: row.kind } });
    return toChannelDto(row);
  }

  async update(orgId: string, channelId: string, actor: Actor, input: UpdateNotificationChannelBody) {
    const row = await this.channel(orgId, channelId);
    const patch: Parameters<NotificationsRepo['updateChannel']>[1] = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.deploy_events !== undefined) patch.deploy_events = input.deploy_events;
    if (input.config !== undefined) {
      const kind = row.kind as NotificationChannelKind;
      // Secrets left out keep their stored value (the console never has them to send back).
      const merged = parseOrThrow(CHANNEL_CONFIG_SCHEMAS[kind], { ...this.opened(row), ...input.config }, `config of a ${kind} channel`);
      await this.assertUrlsAllowed(orgId, merged);
      const { plain, sealed } = this.split(kind, merged);
      patch.config = plain;
      patch.secrets_sealed = sealed;
    }
    const updated = await this.repo.updateChannel(row.id, patch);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'notification_channel.updated', targetType: 'notification_channel', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { fields: Object.keys(input) } });
    return toChannelDto(updated);
  }

  async remove(orgId: string, channelId: string, actor: Actor) {
    const row = await this.channel(orgId, channelId);
    await this.repo.deleteChannel(row.id);
    await this.audit.record({ orgId, actorId: actor.userId, action: 'notification_channel.deleted', targetType: 'notification_channel', targetId: row.id, ip: actor.ip, userAgent: actor.userAgent, metadata: { name: row.name } });
  }

  /** Sends a test message now (not queued, not retried) and says what the receiver answered. */
  async test(orgId: string, channelId: string) {
    const row = await this.channel(orgId, channelId);
    const allowPrivate = await this.allowPrivate(orgId);
    const message: NotificationMessage = {
      version: 1,
      type: 'test',
      title: `Test notification from Syntra (${row.name})`,
      status: 'test',
      severity: 'info',
      rule: null,
      event: null,
      deployment: null,
      values: {},
      links: { console: this.opts.publicUrl },
      org_id: orgId,
      sent_at: new Date().toISOString(),
    };
    const result = await send(row.kind, this.opened(row), message, randomUUID(), this.senderEnv(allowPrivate));
    const delivered = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300 && !result.error;
    return { delivered, status_code: result.statusCode, error: result.error };
  }

  /** Channels of the organisation among `ids`; an id that is not one of them is a 400 naming it (another org's channel does not exist here). */
  async assertChannels(orgId: string, ids: readonly string[]) {
    const found = new Set((await this.repo.channelsIn(orgId, [...new Set(ids)])).map((c) => c.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new ValidationError(`Invalid body: channel_ids: unknown notification channel ${missing[0]}`, { in: 'body', issues: [{ path: 'channel_ids', message: `unknown channel ${missing[0]}` }] });
  }

  /** Queues `notice` to the given channels (alert rules) — once per channel and topic however many workers ask. */
  async notifyChannels(notice: Notice, channelIds: readonly string[]) {
    return this.enqueue(notice, await this.repo.channelsIn(notice.orgId, channelIds));
  }

  /** Queues a deploy step's notice to the channels that chose it. */
  async notifyDeployStep(notice: Notice, step: 'started' | 'succeeded' | 'failed') {
    return this.enqueue(notice, await this.repo.channelsForDeployEvent(notice.orgId, step));
  }

  async deliveriesOfEvent(eventId: string) {
    return (await this.repo.deliveriesOfEvent(eventId)).map(toDeliveryDto);
  }

  /**
   * One attempt of a delivery (the queue's processor). A delivery already delivered is not sent
   * again; a failed attempt throws so the queue retries it with backoff. Returns what happened.
   */
  async deliver(deliveryId: string, attempt: number): Promise<'delivered' | 'already' | 'gone'> {
    const delivery = await this.repo.findDelivery(deliveryId);
    if (!delivery || !delivery.channel_id) return 'gone';
    if (delivery.status === 'delivered') return 'already';
    const channel = await this.repo.findChannel(delivery.org_id, delivery.channel_id);
    if (!channel) return 'gone';
    const result = await send(channel.kind, this.opened(channel), delivery.message as unknown as NotificationMessage, delivery.id, this.senderEnv(await this.allowPrivate(delivery.org_id)));
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300 && !result.error;
    const last = attempt >= NOTIFY_ATTEMPTS;
    await this.repo.recordAttempt(
      delivery.id,
      { attempt, at: new Date().toISOString(), status_code: result.statusCode, error: result.error, duration_ms: result.durationMs },
      ok ? 'delivered' : last ? 'failed' : 'pending',
    );
    if (!ok) throw new Error(`delivery ${delivery.id} attempt ${attempt}: ${result.error ?? `HTTP ${result.statusCode}`}`);
    return 'delivered';
  }

  private async enqueue(notice: Notice, channels: NotificationChannelRow[]) {
    const created = await this.repo.insertDeliveries(
      channels.map((c) => ({ org_id: notice.orgId, channel_id: c.id, channel_name: c.name, channel_kind: c.kind, alert_event_id: notice.alertEventId, topic: notice.topic, message: notice.message as unknown as Record<string, unknown> })),
    );
    await this.queue.enqueue(created.map((d) => d.id));
    return created.length;
  }

  private async channel(orgId: string, id: string) {
    const row = await this.repo.findChannel(orgId, id);
    if (!row) throw new NotFoundError('Notification channel');
    return row;
  }

  private allowPrivate(orgId: string): Promise<boolean> {
    return this.opts.allowPrivate ? Promise.resolve(true) : this.orgs.isAdminOrg(orgId);
  }

  private async assertUrlsAllowed(orgId: string, config: Record<string, unknown>) {
    const allowPrivate = await this.allowPrivate(orgId);
    for (const field of URL_FIELDS) {
      const url = config[field];
      if (typeof url !== 'string') continue;
      const problem = await channelUrlProblem(url, allowPrivate, this.resolve);
      if (problem) throw new ValidationError(`Invalid body: config.${field}: ${problem}`, { in: 'body', issues: [{ path: `config.${field}`, message: problem }] });
    }
  }

  /** The config's secret fields sealed together; the rest stays readable. */
  private split(kind: NotificationChannelKind, config: Record<string, unknown>) {
    const secretFields = CHANNEL_SECRET_FIELDS[kind];
    const plain: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) (secretFields.includes(k) ? secrets : plain)[k] = v;
    return { plain, sealed: Object.keys(secrets).length ? this.box.sealJson(secrets) : null };
  }

  private opened(row: NotificationChannelRow): OpenedConfig {
    return { ...row.config, ...(row.secrets_sealed ? this.box.openJson<Record<string, unknown>>(row.secrets_sealed) : {}) };
  }

  private senderEnv(allowPrivate: boolean): SenderEnv {
    return { allowPrivate, smtpUrl: this.opts.smtpUrl, smtpFrom: this.opts.smtpFrom, pagerDutyEventsUrl: this.opts.pagerDutyEventsUrl };
  }
}
