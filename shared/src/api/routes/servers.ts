// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, OkSchema, SerialPageQuerySchema, pageOf } from '../common.js';
import { CreateServerBodySchema, ServerCommandBodySchema, ServerCommandSchema, ServerCredentialsSchema, ServerListQuerySchema, ServerMetricsQuerySchema, ServerMetricsSchema, ServerSchema, ServerStatusEventSchema, UpdateServerBodySchema } from '../servers.js';
import { contract } from './contract.js';

export const ServerParams = z.object({ serverId: IdSchema });

export const serversContracts = {
  getServers: contract({
    method: 'get',
    path: '/api/v1/servers',
    query: ServerListQuerySchema,
    response: pageOf(ServerSchema),
    orgHeader: true,
  }),
  postServers: contract({
    method: 'post',
    path: '/api/v1/servers',
    body: CreateServerBodySchema,
    response: ServerCredentialsSchema,
    orgHeader: true,
  }),
  getServersByServerId: contract({
    method: 'get',
    path: '/api/v1/servers/:serverId',
    params: ServerParams,
    response: ServerSchema,
  }),
  patchServersByServerId: contract({
    method: 'patch',
    path: '/api/v1/servers/:serverId',
    params: ServerParams,
    body: UpdateServerBodySchema,
    response: ServerSchema,
  }),
  deleteServersByServerId: contract({
    method: 'delete',
    path: '/api/v1/servers/:serverId',
    params: ServerParams,
    response: OkSchema,
  }),
  postServersByServerIdRotateToken: contract({
    method: 'post',
    path: '/api/v1/servers/:serverId/rotate-token',
    params: ServerParams,
    response: ServerCredentialsSchema,
  }),
  getServersByServerIdMetrics: contract({
    method: 'get',
    path: '/api/v1/servers/:serverId/metrics',
    params: ServerParams,
    query: ServerMetricsQuerySchema,
    response: ServerMetricsSchema,
  }),
  getServersByServerIdStatusHistory: contract({
    method: 'get',
    path: '/api/v1/servers/:serverId/status-history',
    params: ServerParams,
    query: SerialPageQuerySchema,
    response: pageOf(ServerStatusEventSchema),
  }),
  postServersByServerIdCommands: contract({
    method: 'post',
    path: '/api/v1/servers/:serverId/commands',
    params: ServerParams,
    body: ServerCommandBodySchema,
    response: ServerCommandSchema,
  }),
  getServersByServerIdCommandsByCommandId: contract({
    method: 'get',
    path: '/api/v1/servers/:serverId/commands/:commandId',
    params: z.object({ serverId: IdSchema, commandId: IdSchema }),
    response: ServerCommandSchema,
  }),
};
