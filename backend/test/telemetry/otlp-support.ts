/** What the OTLP intake tests share: a key resolver with known keys and a Koa app serving the router. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import pino from 'pino';
import type { ClientKeyResolver, ResolvedClientKey } from '../../src/modules/ingest/ports.js';
import { otlpRouter, type OtlpRowWriter } from '../../src/modules/telemetry/index.js';

export const KEYS: Record<'shop' | 'billing' | 'revoked', ResolvedClientKey> = {
  shop: { keyId: 'k-shop', publicKey: 'pk_shop_0123456789abcdef', orgId: '0a000000-0000-4000-8000-00000000000a', projectId: '1a000000-0000-4000-8000-00000000001a', serviceId: '2a000000-0000-4000-8000-00000000002a', projectRef: 101, revoked: false },
  billing: { keyId: 'k-billing', publicKey: 'pk_billing_0123456789abc', orgId: '0b000000-0000-4000-8000-00000000000b', projectId: '1b000000-0000-4000-8000-00000000001b', serviceId: '2b000000-0000-4000-8000-00000000002b', projectRef: 102, revoked: false },
  revoked: { keyId: 'k-old', publicKey: 'pk_revoked_0123456789abc', orgId: '0a000000-0000-4000-8000-00000000000a', projectId: '1a000000-0000-4000-8000-00000000001a', serviceId: '2a000000-0000-4000-8000-00000000002a', projectRef: 101, revoked: true },
};
export const SERVICE_NAMES: Record<string, string> = { [KEYS.shop.serviceId]: 'shop', [KEYS.billing.serviceId]: 'billing' };

/** A small in-memory ClientKeyResolver (the real one is the client-keys module's). */
export const memoryKeys: ClientKeyResolver = {
  resolve: async (publicKey) => Object.values(KEYS).find((k) => k.publicKey === publicKey) ?? null,
};

export interface OtlpTestServer {
  url: string;
  close(): Promise<void>;
}

export async function serveOtlp(writer: OtlpRowWriter): Promise<OtlpTestServer> {
  const app = new Koa();
  app.use(otlpRouter({ keys: memoryKeys, writer, serviceName: async (id) => SERVICE_NAMES[id] ?? null, logger: pino({ level: 'silent' }) }).routes());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
