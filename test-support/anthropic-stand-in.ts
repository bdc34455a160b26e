/**
 * A local stand-in of Anthropic's Messages API (`POST /v1/messages`), speaking its documented wire
 * format so the real `@anthropic-ai/sdk` can be driven against it: a JSON `message` when the request
 * does not stream, and otherwise the server-sent events `message_start`, per content block
 * `content_block_start` / `content_block_delta` (`text_delta`, `input_json_delta`) /
 * `content_block_stop`, then `message_delta` (stop reason, output tokens) and `message_stop`.
 *
 * Tests script it per request: `reply` is called with each request (its parsed body) and returns
 * the assistant's content blocks; every request is recorded for assertions (what the model saw).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInBlock = { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: unknown; id?: string };

export interface StandInReply {
  content: StandInBlock[];
  /** Default: `tool_use` when a block calls a tool, else `end_turn`. */
  stop_reason?: string;
  usage?: { input_tokens: number; output_tokens: number };
  /** Answer with this HTTP status and an API error body instead (e.g. 400, 529). */
  status?: number;
}

export interface RecordedRequest {
  headers: http.IncomingHttpHeaders;
  body: {
    model: string;
    stream?: boolean;
    system?: unknown;
    tools?: Array<{ name: string }>;
    tool_choice?: unknown;
    messages: Array<{ role: string; content: unknown }>;
    [k: string]: unknown;
  };
}

export interface AnthropicStandIn {
  url: string;
  requests: RecordedRequest[];
  /** The script: what to answer to a request (called in order; `n` counts from 0). */
  reply: (req: RecordedRequest, n: number) => StandInReply | Promise<StandInReply>;
  /** The text of every request so far, for "was X sent / never sent" assertions. */
  sentText(): string;
  close(): Promise<void>;
}

/** The tool_result blocks of a request's last user turn. */
export function lastToolResults(req: RecordedRequest): Array<{ tool_use_id: string; content: unknown; is_error?: boolean }> {
  const last = req.body.messages[req.body.messages.length - 1];
  return Array.isArray(last?.content) ? (last.content as Array<{ type: string }>).filter((b) => b.type === 'tool_result') as never : [];
}

/** The API key a request carried, whichever header the SDK used. */
export function apiKeyOf(headers: http.IncomingHttpHeaders): string | null {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct) return direct;
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return bearer?.[1] ?? null;
}

let seq = 0;

function messageOf(reply: StandInReply, model: string) {
  const content = reply.content.map((b) => (b.type === 'tool_use' ? { type: 'tool_use', id: b.id ?? `toolu_standin_${(seq += 1)}`, name: b.name, input: b.input } : b));
  const stop = reply.stop_reason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  const usage = reply.usage ?? { input_tokens: 100, output_tokens: 20 };
  return { id: `msg_standin_${(seq += 1)}`, type: 'message', role: 'assistant', model, content, stop_reason: stop, stop_sequence: null, usage };
}

function sse(res: http.ServerResponse, type: string, data: Record<string, unknown>) {
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

function stream(res: http.ServerResponse, message: ReturnType<typeof messageOf>) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  sse(res, 'message_start', { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: message.usage.input_tokens, output_tokens: 1 } } });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      sse(res, 'content_block_start', { index, content_block: { type: 'text', text: '' } });
      sse(res, 'ping', {});
      // Two deltas per block, as a real stream splits text.
      const text = (block as { text: string }).text;
      const half = Math.ceil(text.length / 2);
      for (const part of [text.slice(0, half), text.slice(half)]) if (part) sse(res, 'content_block_delta', { index, delta: { type: 'text_delta', text: part } });
    } else {
      const b = block as { id: string; name: string; input: unknown };
      sse(res, 'content_block_start', { index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      const json = JSON.stringify(b.input ?? {});
      const cut = Math.floor(json.length / 2);
      for (const part of [json.slice(0, cut), json.slice(cut)]) if (part) sse(res, 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } });
    }
    sse(res, 'content_block_stop', { index });
  });
  sse(res, 'message_delta', { delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: message.usage.output_tokens } });
  sse(res, 'message_stop', {});
  res.end();
}

export async function startAnthropicStandIn(reply: AnthropicStandIn['reply'] = () => ({ content: [{ type: 'text', text: 'ok' }] })): Promise<AnthropicStandIn> {
  const requests: RecordedRequest[] = [];
  const standIn: AnthropicStandIn = {
    url: '',
    requests,
    reply,
    sentText: () => requests.map((r) => JSON.stringify(r.body)).join('\n'),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'stand-in: only POST /v1/messages' } }));
          return;
        }
        // The API key arrives as `x-api-key` or, from newer SDKs, `Authorization: Bearer`.
        if (!apiKeyOf(req.headers)) {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'an API key (x-api-key or Authorization) is required' } }));
          return;
        }
        const recorded: RecordedRequest = { headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
        requests.push(recorded);
        const scripted = await standIn.reply(recorded, requests.length - 1);
        if (scripted.status && scripted.status >= 400) {
          res.writeHead(scripted.status, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'stand-in error' } }));
          return;
        }
        const message = messageOf(scripted, recorded.body.model);
        if (recorded.body.stream) stream(res, message);
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
      })().catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return standIn;
}
