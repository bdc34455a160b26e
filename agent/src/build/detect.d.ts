import type { BuiltSourceType } from '@syntra/shared';
export type BuildPlan = {
    kind: 'node' | 'procfile' | 'static';
    steps: string[];
    start: string;
} | {
    kind: 'dockerfile';
    dockerfile: string;
};
export declare class DetectError extends Error {
}
/** The static-site start command: served by the agent's built-in file server. */
export declare const STATIC_START = "syntra-static .";
/**
 * Decides how to build a checkout: a Dockerfile (source type `dockerfile`), or for `auto` a Node app
 * (package.json), a Procfile app, or a static site (index.html). Says what it looked for when
 * nothing matches.
 */
export declare function detect(dir: string, sourceType: BuiltSourceType, opts: {
    dockerfilePath: string;
    startCommand: string | null;
}): BuildPlan;
