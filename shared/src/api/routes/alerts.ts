import { z } from 'zod';
import { IdSchema, OkSchema } from '../common.js';
import {
  AlertEventDetailSchema,
  AlertEventListQuerySchema,
  AlertEventSchema,
  AlertRulePreviewSchema,
  AlertRuleSchema,
  CreateAlertRuleBodySchema,
  CreateSilenceBodySchema,
  SilenceSchema,
  TimelineQuerySchema,
  TimelineSchema,
  UpdateAlertRuleBodySchema,
} from '../alerts.js';
import { contract } from './contract.js';

/** Alert rules, their events and silences (issue 14). */
export const alertsContracts = {
  getAlertRules: contract({ method: 'get', path: '/api/v1/alert-rules', orgHeader: true, response: z.object({ items: z.array(AlertRuleSchema) }) }),
  postAlertRules: contract({ method: 'post', path: '/api/v1/alert-rules', orgHeader: true, body: CreateAlertRuleBodySchema, response: AlertRuleSchema }),
  postAlertRulesPreview: contract({ method: 'post', path: '/api/v1/alert-rules/preview', orgHeader: true, body: CreateAlertRuleBodySchema, response: AlertRulePreviewSchema }),
  getAlertRulesByRuleId: contract({ method: 'get', path: '/api/v1/alert-rules/:ruleId', params: z.object({ ruleId: IdSchema }), response: AlertRuleSchema }),
  patchAlertRulesByRuleId: contract({
    method: 'patch',
    path: '/api/v1/alert-rules/:ruleId',
    params: z.object({ ruleId: IdSchema }),
    body: UpdateAlertRuleBodySchema,
    response: AlertRuleSchema,
  }),
  deleteAlertRulesByRuleId: contract({ method: 'delete', path: '/api/v1/alert-rules/:ruleId', params: z.object({ ruleId: IdSchema }), response: OkSchema }),
  getAlertEvents: contract({
    method: 'get',
    path: '/api/v1/alert-events',
    orgHeader: true,
    query: AlertEventListQuerySchema,
    response: z.object({ items: z.array(AlertEventSchema) }),
  }),
  getAlertEventsByEventId: contract({ method: 'get', path: '/api/v1/alert-events/:eventId', params: z.object({ eventId: IdSchema }), response: AlertEventDetailSchema }),
  postAlertEventsByEventIdAck: contract({ method: 'post', path: '/api/v1/alert-events/:eventId/ack', params: z.object({ eventId: IdSchema }), response: AlertEventSchema }),
  getSilences: contract({ method: 'get', path: '/api/v1/silences', orgHeader: true, response: z.object({ items: z.array(SilenceSchema) }) }),
  postSilences: contract({ method: 'post', path: '/api/v1/silences', orgHeader: true, body: CreateSilenceBodySchema, response: SilenceSchema }),
  deleteSilencesBySilenceId: contract({ method: 'delete', path: '/api/v1/silences/:silenceId', params: z.object({ silenceId: IdSchema }), response: OkSchema }),
  getServicesByServiceIdTimeline: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/timeline',
    params: z.object({ serviceId: IdSchema }),
    query: TimelineQuerySchema,
    response: TimelineSchema,
  }),
  getServersByServerIdTimeline: contract({
    method: 'get',
    path: '/api/v1/servers/:serverId/timeline',
    params: z.object({ serverId: IdSchema }),
    query: TimelineQuerySchema,
    response: TimelineSchema,
  }),
};
