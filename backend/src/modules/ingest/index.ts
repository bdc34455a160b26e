export type * from './ports.js';
export { IntakeCounters, type IntakeCounter } from './intake-counters.js';
