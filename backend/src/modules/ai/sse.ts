import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { AiChatEvent } from '@syntra/shared';

/**
 * Turns the response into a server-sent event stream (`event: <type>` + one JSON `data:` line per
 * event) and returns the writer. Called only after every check that answers with an HTTP error.
 */
export function openEventStream(ctx: Context): { send(event: AiChatEvent): void; end(): void } {
  const body = new PassThrough();
  ctx.status = 200;
  ctx.type = 'text/event-stream';
  ctx.set('Cache-Control', 'no-cache, no-transform');
  // Proxies (nginx) must not hold the answer back until it is complete.
  ctx.set('X-Accel-Buffering', 'no');
  ctx.body = body;
  let open = true;
  ctx.req.on('close', () => {
    open = false;
  });
  return {
    send(event) {
      if (open) body.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    },
    end() {
      body.end();
    },
  };
}
