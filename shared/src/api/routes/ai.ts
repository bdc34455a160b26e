import { z } from 'zod';
import { AiChatBodySchema, AiConversationDetailSchema, AiConversationSchema, AiProposalSchema, GenerateDockerfileBodySchema, GeneratedDockerfileSchema, AnalyzeErrorBodySchema, AnalyzeErrorAcceptedSchema, AiSettingsSchema, AiSettingsPatchSchema, SavedDockerfileBodySchema, SavedDockerfileSchema, BuildDetectionSchema } from '../ai.js';
import { OkSchema } from '../common.js';
import { IdSchema } from '../common.js';
import { contract } from './contract.js';

export const aiContracts = {
  /** Answers `text/event-stream` (events: AiChatEventSchema); the schema documents the stream as text. */
  postAiChat: contract({
    method: 'post',
    path: '/api/v1/ai/chat',
    body: AiChatBodySchema,
    response: z.string().describe('text/event-stream of AiChatEvent'),
    orgHeader: true,
  }),
  getAiConversations: contract({
    method: 'get',
    path: '/api/v1/ai/conversations',
    response: z.array(AiConversationSchema),
    orgHeader: true,
  }),
  getAiConversationsByConversationId: contract({
    method: 'get',
    path: '/api/v1/ai/conversations/:conversationId',
    params: z.object({ conversationId: IdSchema }),
    response: AiConversationDetailSchema,
  }),
  postAiProposalsByProposalIdApprove: contract({
    method: 'post',
    path: '/api/v1/ai/proposals/:proposalId/approve',
    params: z.object({ proposalId: IdSchema }),
    response: AiProposalSchema,
  }),
  postAiProposalsByProposalIdReject: contract({
    method: 'post',
    path: '/api/v1/ai/proposals/:proposalId/reject',
    params: z.object({ proposalId: IdSchema }),
    response: AiProposalSchema,
  }),
  postAiGenerateDockerfile: contract({
    method: 'post',
    path: '/api/v1/ai/generate-dockerfile',
    body: GenerateDockerfileBodySchema,
    response: GeneratedDockerfileSchema,
    orgHeader: true,
  }),
  /** Starts (or returns) the analysis; 202 with `analysis.status` pending, or the stored one. */
  postAiAnalyzeError: contract({
    method: 'post',
    path: '/api/v1/ai/analyze-error',
    body: AnalyzeErrorBodySchema,
    response: AnalyzeErrorAcceptedSchema,
    orgHeader: true,
  }),
  getAiSettings: contract({
    method: 'get',
    path: '/api/v1/ai/settings',
    response: AiSettingsSchema,
    orgHeader: true,
  }),
  patchAiSettings: contract({
    method: 'patch',
    path: '/api/v1/ai/settings',
    body: AiSettingsPatchSchema,
    response: AiSettingsSchema,
    orgHeader: true,
  }),
  /** What an auto build would detect in the repository (not an AI route: it works with AI off too). */
  getServicesByServiceIdBuildDetection: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/build-detection',
    params: z.object({ serviceId: IdSchema }),
    response: BuildDetectionSchema,
  }),
  /** The service's saved Dockerfile (404 when none): not an AI route, it works with AI off too. */
  getServicesByServiceIdDockerfile: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/dockerfile',
    params: z.object({ serviceId: IdSchema }),
    response: SavedDockerfileSchema,
  }),
  putServicesByServiceIdDockerfile: contract({
    method: 'put',
    path: '/api/v1/services/:serviceId/dockerfile',
    params: z.object({ serviceId: IdSchema }),
    body: SavedDockerfileBodySchema,
    response: SavedDockerfileSchema,
  }),
  deleteServicesByServiceIdDockerfile: contract({
    method: 'delete',
    path: '/api/v1/services/:serviceId/dockerfile',
    params: z.object({ serviceId: IdSchema }),
    response: OkSchema,
  }),
};
