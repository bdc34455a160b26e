export { ArtifactStore, sha256File } from './artifacts.store.js';
export type { ArtifactRow } from './artifacts.tables.js';
export { artifactRoutes } from './artifacts.routes.js';
