export { ProjectService, toProjectDto } from './projects.service.js';
export type { ProjectRow } from './projects.tables.js';
export { projectRoutes, actorOf } from './projects.routes.js';
