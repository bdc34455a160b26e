import { type AiChatBody, type AiChatEvent, AiChatEventSchema, contracts } from '@syntra/shared';
import { callStream } from '../../lib/api-client.js';

/**
 * Sends a question and hands each server-sent event to `onEvent` as it arrives. Refusals before the
 * stream starts (AI off, budget, validation) throw the usual ApiRequestError.
 */
export async function streamChat(body: AiChatBody, onEvent: (event: AiChatEvent) => void, signal?: AbortSignal): Promise<void> {
  const res = await callStream(contracts.postAiChat, { body, ...(signal ? { signal } : {}) });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = chunk.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const parsed = AiChatEventSchema.safeParse(JSON.parse(data.slice(6)));
      if (parsed.success) onEvent(parsed.data);
    }
  }
}
