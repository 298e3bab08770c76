import { createHash } from 'node:crypto';

// A fixed namespace for the mock's name-based UUIDs (itself a v4 UUID picked once).
const namespace = Buffer.from('6f1c2b0e8d4a4f5e9b3a7c2d1e0f9a8b', 'hex');

const cache = new Map<string, string>();

/**
 * A stable, upper-case GUID for an ATT&CK ID (`TA0003`, `T1078.004`), the way D3 shows tactic and
 * technique IDs. A name-based (version 5, SHA-1) UUID: the same ID gives the same GUID on every run
 * and machine. Written here because it is a few lines over `node:crypto` and needs no dependency.
 */
export function attackGuid(attackId: string): string {
  const cached = cache.get(attackId);
  if (cached !== undefined) return cached;
  const bytes = createHash('sha1').update(namespace).update(attackId.toUpperCase()).digest();
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex').toUpperCase();
  const guid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  cache.set(attackId, guid);
  return guid;
}
