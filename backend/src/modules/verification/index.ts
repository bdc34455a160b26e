export { VerificationService, type VerificationOptions } from './verification.service.js';
export { VerifyQueue, VERIFY_QUEUE, type VerifyJobData } from './verification.jobs.js';
export { startVerificationWorker } from './verification.processor.js';
export type { VerificationPorts } from './ports.js';
export { compare, type Sample, type Verdict } from './compare.js';
export { buildVerification, type VerificationDeps } from './wiring.js';
