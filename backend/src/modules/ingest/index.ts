export type {
  ClientKeyResolver, ErrorEventProcessor, IntakeSource, ReceivedEvent, ReceivedTransaction, ResolvedClientKey, StoredAttachment, TransactionProcessor,
} from './ports.js';
