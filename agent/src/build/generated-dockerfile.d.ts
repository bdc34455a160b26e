import type { BuildPlan } from './detect.js';
/** Base images of generated Dockerfiles; configurable because installations may have no registry. */
export interface BaseImages {
    /** Node apps and Procfile apps: needs `sh` and `node` (and npm when the app has dependencies). */
    node: string;
    /** Static sites: needs busybox's `httpd`. */
    static: string;
}
/** The port generated images listen on; the docker runtime publishes it and sets PORT to it. */
export declare const GENERATED_PORT = 8080;
/** Written into the checkout (a private temporary directory), so it never shadows the app's own files. */
export declare const GENERATED_DOCKERFILE = "Dockerfile.syntra-generated";
type DetectedPlan = Extract<BuildPlan, {
    kind: 'node' | 'procfile' | 'static';
}>;
/**
 * The Dockerfile a detected app gets when its service runs on the docker runtime. It does in the
 * image what the process runtime's build does on the builder host: the same install/build steps
 * (`npm ci`, `npm run build`, prune) and the same start command. No env values go in: they are
 * given to the container at deploy time.
 */
export declare function generateDockerfile(plan: DetectedPlan, images: BaseImages): string;
/** Writes the generated Dockerfile into the build context; returns its path relative to the context. */
export declare function writeGeneratedDockerfile(context: string, plan: DetectedPlan, images: BaseImages): Promise<string>;
/** The Dockerfile saved for the service (AI-generated, kept by the user), written beside the app's files. */
export declare const SAVED_DOCKERFILE = "Dockerfile.syntra-saved";
/**
 * Writes the service's saved Dockerfile into the build context and returns the plan that builds it.
 * Its .dockerignore is used only where the repository has none (the repository's own wins).
 */
export declare function writeSavedDockerfile(context: string, saved: {
    dockerfile: string;
    dockerignore: string;
}, onLine: (stream: 'system', line: string) => void): Promise<Extract<BuildPlan, {
    kind: 'dockerfile';
}>>;
export {};
