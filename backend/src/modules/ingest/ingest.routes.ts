import { contracts } from '@syntra/shared';
import { NotFoundError } from '../../errors.js';
import { defineRoute } from '../../http/route.js';
import { byService } from '../services/index.js';

export const ingestRoutes = [
  defineRoute(contracts.getServicesByServiceIdAttachmentsByAttachmentId, {
    summary: 'Download an attachment an SDK sent with an event (served as a file, never rendered)',
    tag: 'client-keys',
    access: { kind: 'org', permission: 'projects.read', org: byService },
    raw: true,
    handler: async ({ org, params, ctx }, deps) => {
      await deps.services.services.context(org.id, params.serviceId);
      const a = await deps.services.intake.attachment(params.serviceId, params.attachmentId);
      if (!a) throw new NotFoundError('Attachment');
      // The SDK chose the name and type: sent as an opaque download so a browser never runs it.
      const name = a.filename.replace(/[^\w.\- ]+/g, '_').slice(0, 200) || 'attachment';
      ctx.set('Content-Disposition', `attachment; filename="${name}"`);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.type = 'application/octet-stream';
      ctx.body = a.data;
    },
  }),
];
