import type { Knex } from 'knex';
import type { DeliveryAttempt, NotificationChannelRow, NotificationDeliveryRow } from './notifications.tables.js';

export class NotificationsRepo {
  constructor(private readonly db: Knex) {}

  listChannels(orgId: string): Promise<NotificationChannelRow[]> {
    return this.db('notification_channels').where({ org_id: orgId }).orderBy('created_at');
  }

  findChannel(orgId: string, id: string): Promise<NotificationChannelRow | undefined> {
    return this.db('notification_channels').where({ org_id: orgId, id }).first();
  }

  async orgIdOfChannel(id: string): Promise<string | null> {
    return (await this.db('notification_channels').where({ id }).first('org_id'))?.org_id ?? null;
  }

  channelsIn(orgId: string, ids: readonly string[]): Promise<NotificationChannelRow[]> {
    return ids.length ? this.db('notification_channels').where({ org_id: orgId }).whereIn('id', ids) : Promise.resolve([]);
  }

  channelsForDeployEvent(orgId: string, step: string): Promise<NotificationChannelRow[]> {
    return this.db('notification_channels').where({ org_id: orgId }).whereRaw('? = ANY(deploy_events)', [step]);
  }

  async insertChannel(row: Pick<NotificationChannelRow, 'org_id' | 'name' | 'kind' | 'config' | 'secrets_sealed' | 'deploy_events' | 'created_by'>): Promise<NotificationChannelRow> {
    const [created] = await this.db('notification_channels').insert(row).returning('*');
    return created!;
  }

  async updateChannel(id: string, patch: Partial<Pick<NotificationChannelRow, 'name' | 'config' | 'secrets_sealed' | 'deploy_events'>>): Promise<NotificationChannelRow> {
    const [row] = await this.db('notification_channels').where({ id }).update({ ...patch, updated_at: this.db.fn.now() }).returning('*');
    return row!;
  }

  deleteChannel(id: string) {
    return this.db('notification_channels').where({ id }).delete();
  }

  /** Creates the deliveries not yet made (one per channel and topic: a second worker's insert is a no-op); returns the new ones. */
  insertDeliveries(rows: Array<Pick<NotificationDeliveryRow, 'org_id' | 'channel_id' | 'channel_name' | 'channel_kind' | 'alert_event_id' | 'topic' | 'message'>>): Promise<NotificationDeliveryRow[]> {
    if (!rows.length) return Promise.resolve([]);
    return this.db('notification_deliveries').insert(rows).onConflict(['channel_id', 'topic']).ignore().returning('*');
  }

  findDelivery(id: string): Promise<NotificationDeliveryRow | undefined> {
    return this.db('notification_deliveries').where({ id }).first();
  }

  /** Appends an attempt; `delivered` marks it done (checked before each attempt, so a success is never sent again). */
  async recordAttempt(id: string, attempt: DeliveryAttempt, status: NotificationDeliveryRow['status']): Promise<void> {
    await this.db('notification_deliveries')
      .where({ id })
      .update({
        attempts: this.db.raw('attempts || ?::jsonb', [JSON.stringify([attempt])]),
        status,
        ...(status === 'delivered' ? { delivered_at: this.db.fn.now() } : {}),
      });
  }

  deliveriesOfEvent(eventId: string): Promise<NotificationDeliveryRow[]> {
    return this.db('notification_deliveries').where({ alert_event_id: eventId }).orderBy('created_at');
  }
}
