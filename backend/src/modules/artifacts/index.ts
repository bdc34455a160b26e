export { ArtifactStore, sha256File, type ArtifactRow } from './artifacts.store.js';
export { artifactRoutes } from './artifacts.routes.js';
