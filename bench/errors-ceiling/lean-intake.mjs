// What a durable Sentry intake can cost at the least on this machine (BENCH_CEILING=1 in
// `npm run bench -- errors`): Node's http server, the envelope framed by its lines and lengths,
// each event item checked with JSON.parse (unless BENCH_CEILING_VALIDATE=0), the body appended to
// a local log, and 200 once the log's group fdatasync covers it. No keys, limits or processing:
// the ceiling of any intake built on these parts, to weigh a design against. Args: port, log file.
import fs from 'node:fs';
import http from 'node:http';

const validate = process.env.BENCH_CEILING_VALIDATE !== '0';
const fd = fs.openSync(process.argv[3], 'a');
let pending = [];
let waiting = [];
let syncing = false;

function flush() {
  if (syncing || !pending.length) return;
  syncing = true;
  const bodies = pending;
  const answers = waiting;
  pending = [];
  waiting = [];
  fs.writev(fd, bodies, () =>
    fs.fdatasync(fd, () => {
      syncing = false;
      for (const answer of answers) answer();
      flush();
    }),
  );
}

/** True when every event item of the envelope is a JSON document. */
function framed(body) {
  let at = body.indexOf(10);
  if (at < 0) return false;
  JSON.parse(body.toString('utf8', 0, at));
  while (at < body.length - 1) {
    const next = body.indexOf(10, at + 1);
    const item = JSON.parse(body.toString('utf8', at + 1, next < 0 ? body.length : next));
    const start = next + 1;
    const nl = body.indexOf(10, start);
    const end = typeof item.length === 'number' ? start + item.length : nl < 0 ? body.length : nl;
    if (validate && item.type === 'event') JSON.parse(body.toString('utf8', start, end));
    at = end;
  }
  return true;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    let ok;
    try {
      ok = framed(body);
    } catch {
      ok = false;
    }
    if (!ok) return void res.writeHead(400).end('{}');
    pending.push(body);
    waiting.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    flush();
  });
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.send && process.send('ready'));
