// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema, OkSchema } from '../common.js';
import { ApiTokenSchema, CreateTokenBodySchema, CreatedTokenSchema } from '../tokens.js';
import { contract } from './contract.js';

export const tokensContracts = {
  getTokens: contract({
    method: 'get',
    path: '/api/v1/tokens',
    response: z.array(ApiTokenSchema),
  }),
  postTokens: contract({
    method: 'post',
    path: '/api/v1/tokens',
    body: CreateTokenBodySchema,
    response: CreatedTokenSchema,
  }),
  deleteTokensById: contract({
    method: 'delete',
    path: '/api/v1/tokens/:id',
    params: z.object({ id: IdSchema }),
    response: OkSchema,
  }),
};
