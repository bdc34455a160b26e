export { VerificationService, type VerificationOptions } from './verification.service.js';
export { VerifyQueue, VERIFY_QUEUE, type VerifyJobData } from './verify-queue.js';
export { startVerificationWorker } from './verification.worker.js';
export type { VerificationPorts } from './ports.js';
export { compare, type Sample, type Verdict } from './compare.js';
