// Generated once from the backend route files, now the source of truth: the backend routes and the
// console client both take their method, path and schemas from here.
import { z } from 'zod';
import { IdSchema } from '../common.js';
import { contract } from './contract.js';

export const artifactsContracts = {
  getArtifactsByArtifactId: contract({
    method: 'get',
    path: '/api/v1/artifacts/:artifactId',
    params: z.object({ artifactId: IdSchema }),
    response: z.unknown(),
  }),
  putArtifactsUploadsByDeploymentId: contract({
    method: 'put',
    path: '/api/v1/artifacts/uploads/:deploymentId',
    params: z.object({ deploymentId: IdSchema }),
    response: z.object({ artifact_id: IdSchema, digest: z.string(), size_bytes: z.number() }),
  }),
};
