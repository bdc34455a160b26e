export { Builder, type BuildOutput, type ImageBuilder } from './builder.js';
export { DetectError, STATIC_START } from './detect.js';
export { CommandError } from './run-command.js';
export { DockerImageBuilder } from './docker-image-builder.js';
