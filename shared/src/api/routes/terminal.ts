// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { queryInt4 } from '../bounds.js';
import { IdSchema, pageOf } from '../common.js';
import { OpenTerminalBodySchema, OpenedTerminalSchema, TerminalSessionSchema } from '../terminal.js';
import { contract } from './contract.js';

export const terminalContracts = {
  postServersByServerIdTerminal: contract({
    method: 'post',
    path: '/api/v1/servers/:serverId/terminal',
    params: z.object({ serverId: IdSchema }),
    body: OpenTerminalBodySchema,
    response: OpenedTerminalSchema,
  }),
  getServersByServerIdTerminalSessions: contract({
    method: 'get',
    path: '/api/v1/servers/:serverId/terminal-sessions',
    params: z.object({ serverId: IdSchema }),
    query: z.object({ limit: queryInt4(1, 200).default(50) }),
    response: pageOf(TerminalSessionSchema),
  }),
  getTerminalSessionsBySessionId: contract({
    method: 'get',
    path: '/api/v1/terminal-sessions/:sessionId',
    params: z.object({ sessionId: IdSchema }),
    response: TerminalSessionSchema,
  }),
  getTerminalSessionsBySessionIdRecording: contract({
    method: 'get',
    path: '/api/v1/terminal-sessions/:sessionId/recording',
    params: z.object({ sessionId: IdSchema }),
    response: z.string().describe('asciicast v2 (application/x-asciicast)'),
  }),
};
