import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/**
 * A tiny authoritative DNS server on 127.0.0.1 for tests: answers TXT queries from `records`
 * (name → TXT strings; mutable while running), NXDOMAIN for anything else. Real UDP, so the
 * backend's own resolver (c-ares) is what is exercised.
 */
export async function startDnsStandIn(records: Map<string, string[]>) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    const answer = respond(query, records);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function respond(query: Buffer, records: Map<string, string[]>): Buffer | null {
  if (query.length < 12) return null;
  let offset = 12;
  const labels: string[] = [];
  while (offset < query.length && query[offset]! !== 0) {
    const len = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + len).toString('ascii'));
    offset += len + 1;
  }
  const questionEnd = offset + 5; // the zero label, QTYPE, QCLASS
  if (questionEnd > query.length) return null;
  const qtype = query.readUInt16BE(offset + 1);
  const txt = qtype === 16 ? records.get(labels.join('.').toLowerCase()) : undefined;

  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(txt ? 0x8400 : 0x8403, 2); // response, authoritative; NOERROR or NXDOMAIN
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(txt?.length ?? 0, 6);
  const question = query.subarray(12, questionEnd);
  const answers = (txt ?? []).map((value) => {
    const data = Buffer.from(value, 'utf8');
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
    rr.writeUInt16BE(16, 2); // TXT
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(0, 6); // TTL
    rr.writeUInt16BE(data.length + 1, 10);
    return Buffer.concat([rr, Buffer.from([data.length]), data]);
  });
  return Buffer.concat([header, question, ...answers]);
}
