export { ProjectService, toProjectDto, type ProjectRow } from './projects.service.js';
export { projectRoutes, actorOf } from './projects.routes.js';
