// Client keys (issue 12): the DSNs of a service, and how its intake treats browsers.
import { z } from 'zod';
import { IdSchema } from '../common.js';
import { ClientKeyListSchema, ClientKeySchema, CreateClientKeyBodySchema, IntakeSettingsSchema, UpdateIntakeBodySchema } from '../client-keys.js';
import { contract } from './contract.js';

const ServiceParams = z.object({ serviceId: IdSchema });

export const clientKeysContracts = {
  getServicesByServiceIdKeys: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/keys',
    params: ServiceParams,
    response: ClientKeyListSchema,
  }),
  postServicesByServiceIdKeys: contract({
    method: 'post',
    path: '/api/v1/services/:serviceId/keys',
    params: ServiceParams,
    body: CreateClientKeyBodySchema,
    response: ClientKeySchema,
  }),
  deleteServicesByServiceIdKeysByKeyId: contract({
    method: 'delete',
    path: '/api/v1/services/:serviceId/keys/:keyId',
    params: z.object({ serviceId: IdSchema, keyId: IdSchema }),
    response: ClientKeySchema,
  }),
  getServicesByServiceIdIntake: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/intake',
    params: ServiceParams,
    response: IntakeSettingsSchema,
  }),
  /** The bytes of an attachment sent with an event (`StoredAttachment.storageKey` is its id); always a download. */
  getServicesByServiceIdAttachmentsByAttachmentId: contract({
    method: 'get',
    path: '/api/v1/services/:serviceId/attachments/:attachmentId',
    params: z.object({ serviceId: IdSchema, attachmentId: IdSchema }),
    response: z.unknown(),
  }),
  patchServicesByServiceIdIntake: contract({
    method: 'patch',
    path: '/api/v1/services/:serviceId/intake',
    params: ServiceParams,
    body: UpdateIntakeBodySchema,
    response: IntakeSettingsSchema,
  }),
};
