// A dependency-free HTTP app: GET / answers a greeting, GET /health answers 200 when ready.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';
const versionFile = path.join(import.meta.dirname, 'VERSION');
const version = fs.existsSync(versionFile) ? fs.readFileSync(versionFile, 'utf8').trim() : 'dev';
const greeting = process.env.GREETING || 'Hello from Syntra';

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ ok: true }));
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: greeting, version }));
});

server.listen(port, host, () => console.log(`node-hello ${version} listening on ${host}:${port}`));
// Finish in-flight requests on SIGTERM (the agent drains, then stops the old version).
process.on('SIGTERM', () => server.close(() => process.exit(0)));
