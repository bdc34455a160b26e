import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../../lib/crypto.js';

export const DEVICE_PROOF_PREFIX = 'syn_dev_';
/** A device that signed in once stays "known" this long (renewed on every successful sign-in). */
export const DEVICE_PROOF_TTL_MS = 180 * 86_400_000;

export interface DeviceProof {
  userId: string;
  /** Random per device; the device's own failure budget is keyed by it. */
  deviceId: string;
}

/**
 * Proof that a client signed in successfully to an account before: `syn_dev_<payload>.<mac>`,
 * HMAC-SHA256 under a key derived from the installation's secret key, bound to the user id and an
 * expiry. Nothing is stored server-side; the login limiter trusts a valid one (see login-limiter.ts).
 */
export class DeviceProofs {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = createHmac('sha256', secretKey).update('syntra login device proof v1').digest();
  }

  issue(userId: string, deviceId: string = randomBytes(12).toString('base64url'), now = Date.now()): string {
    const payload = Buffer.from(JSON.stringify({ u: userId, d: deviceId, e: now + DEVICE_PROOF_TTL_MS })).toString('base64url');
    return `${DEVICE_PROOF_PREFIX}${payload}.${this.mac(payload)}`;
  }

  /** The proof's device if it is genuine, unexpired and for `userId`; otherwise null (treated as no proof). */
  verify(token: string | null | undefined, userId: string, now = Date.now()): DeviceProof | null {
    if (!token || token.length > 400 || !token.startsWith(DEVICE_PROOF_PREFIX)) return null;
    const [payload, mac] = token.slice(DEVICE_PROOF_PREFIX.length).split('.');
    if (!payload || !mac || !constantTimeEqual(mac, this.mac(payload))) return null;
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { u?: unknown; d?: unknown; e?: unknown };
      if (body.u !== userId || typeof body.d !== 'string' || typeof body.e !== 'number' || body.e < now) return null;
      return { userId, deviceId: body.d };
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
