export { GithubWebhookService, normalizeRepoUrl } from './github.service.js';
export { webhookRoutes } from './github.routes.js';
