import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { defineRoute } from '../../http/route.js';

const WebhookResultSchema = z.object({
  event: z.string(),
  delivery_id: z.string(),
  duplicate: z.boolean(),
  deployments: z.array(z.object({ service_id: z.string(), deployment_id: z.string().nullable(), skipped: z.string().nullable() })),
});

export const webhookRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/v1/webhooks/github',
    summary: 'GitHub webhook (JSON content type): verifies X-Hub-Signature-256, answers ping, deploys auto-deploy services on push',
    tag: 'webhooks',
    access: { kind: 'public' },
    response: WebhookResultSchema,
    handler: async ({ ctx }, deps) => {
      // The signature covers the exact bytes GitHub sent; @koa/bodyparser keeps them as rawBody.
      const raw = (ctx.request as unknown as { rawBody?: string }).rawBody;
      // Form-encoded deliveries (GitHub's other content type) are not parsed: say how to fix the hook.
      if (raw === undefined && ctx.get('x-hub-signature-256') && !ctx.is('application/json')) {
        throw new ValidationError('Set the GitHub webhook content type to application/json');
      }
      return deps.services.githubWebhooks.handle({
        event: ctx.get('x-github-event'),
        deliveryId: ctx.get('x-github-delivery'),
        signature: ctx.get('x-hub-signature-256'),
        rawBody: raw ?? '',
      });
    },
  }),
];
