export * from './envelope.js';
export * from './agent-frames.js';
export * from './control-frames.js';
export * from './frames.js';
export * from './terminal-binary.js';
export * from './build-frames.js';
export * from './repo-files.js';
