import { z } from 'zod';
import { IdSchema, OkSchema } from '../common.js';
import { ChannelTestResultSchema, CreateNotificationChannelBodySchema, NotificationChannelSchema, UpdateNotificationChannelBodySchema } from '../alerts.js';
import { contract } from './contract.js';

/** Where alerts and deploy notifications go (issue 14). */
export const notificationsContracts = {
  getNotificationChannels: contract({ method: 'get', path: '/api/v1/notification-channels', orgHeader: true, response: z.object({ items: z.array(NotificationChannelSchema) }) }),
  postNotificationChannels: contract({
    method: 'post',
    path: '/api/v1/notification-channels',
    orgHeader: true,
    body: CreateNotificationChannelBodySchema,
    response: NotificationChannelSchema,
  }),
  patchNotificationChannelsByChannelId: contract({
    method: 'patch',
    path: '/api/v1/notification-channels/:channelId',
    params: z.object({ channelId: IdSchema }),
    body: UpdateNotificationChannelBodySchema,
    response: NotificationChannelSchema,
  }),
  deleteNotificationChannelsByChannelId: contract({
    method: 'delete',
    path: '/api/v1/notification-channels/:channelId',
    params: z.object({ channelId: IdSchema }),
    response: OkSchema,
  }),
  postNotificationChannelsByChannelIdTest: contract({
    method: 'post',
    path: '/api/v1/notification-channels/:channelId/test',
    params: z.object({ channelId: IdSchema }),
    response: ChannelTestResultSchema,
  }),
};
