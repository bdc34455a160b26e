import type { z } from 'zod';
import { IPC, type IpcKey, type IpcResult } from '../shared/ipc.js';

export type IpcHandlers = {
  [K in IpcKey]: (payload: z.output<(typeof IPC)[K]['request']>) => Promise<z.input<(typeof IPC)[K]['response']>>;
};

export class IpcUserError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Validates every payload against its channel's schema before the handler sees it, and turns the
 * outcome into an `IpcResult`. Unknown channels and malformed payloads never reach a handler.
 */
export function createIpcRouter(handlers: IpcHandlers, onBug: (err: unknown, channel: string) => void = () => undefined) {
  const byName = new Map<string, IpcKey>(Object.entries(IPC).map(([key, ch]) => [ch.name, key as IpcKey]));
  return {
    channels: [...byName.keys()],
    async dispatch(channelName: string, payload: unknown): Promise<IpcResult<unknown>> {
      const key = byName.get(channelName);
      if (!key) return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `no channel ${channelName}` } };
      const parsed = IPC[key].request.safeParse(payload ?? {});
      if (!parsed.success) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
        return { ok: false, error: { code: 'INVALID_PAYLOAD', message: detail } };
      }
      try {
        const handler = handlers[key] as (p: unknown) => Promise<unknown>;
        const data = IPC[key].response.parse(await handler(parsed.data));
        return { ok: true, data };
      } catch (err) {
        if (err instanceof IpcUserError) return { ok: false, error: { code: err.code, message: err.message } };
        onBug(err, channelName);
        return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in the app; see its log.' } };
      }
    },
  };
}
