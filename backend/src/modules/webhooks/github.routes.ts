import type { Context } from 'koa';
import { contracts } from '@syntra/shared';
import type { AppDeps } from '../../deps.js';
import { ValidationError } from '../../errors.js';
import { defineRoute } from '../../http/route.js';

/** The delivery as GitHub sent it; the signature covers the exact bytes, kept by @koa/bodyparser as rawBody. */
function handleDelivery(ctx: Context, deps: AppDeps, projectId?: string) {
  const raw = (ctx.request as unknown as { rawBody?: string }).rawBody;
  // Form-encoded deliveries (GitHub's other content type) are not parsed: say how to fix the hook.
  if (raw === undefined && ctx.get('x-hub-signature-256') && !ctx.is('application/json')) {
    throw new ValidationError('Set the GitHub webhook content type to application/json');
  }
  return deps.services.githubWebhooks.handle(
    { event: ctx.get('x-github-event'), deliveryId: ctx.get('x-github-delivery'), signature: ctx.get('x-hub-signature-256'), rawBody: raw ?? '' },
    projectId,
  );
}

export const webhookRoutes = [
  defineRoute(contracts.postWebhooksGithub, {
    summary: "GitHub webhook signed with the installation's GITHUB_WEBHOOK_SECRET: deploys the admin organisation's auto-deploy services on push",
    tag: 'webhooks',
    access: { kind: 'public' },
    handler: ({ ctx }, deps) => handleDelivery(ctx, deps),
  }),
  defineRoute(contracts.postWebhooksGithubByProjectId, {
    summary: "A project's GitHub webhook, signed with its own secret (POST /projects/:id/webhook): deploys that project's auto-deploy services on push",
    tag: 'webhooks',
    access: { kind: 'public' },
    handler: ({ ctx, params }, deps) => handleDelivery(ctx, deps, params.projectId),
  }),
];
