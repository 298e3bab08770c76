// Turns one input into catalog data: unpacks gzip (told by its first bytes, whatever the name),
// parses, reads it as ATT&CK, and refuses, naming the input, anything that is not an ATT&CK bundle.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

import type { CatalogData } from '../../src/attack/catalog-data.js';
import type { CatalogProvenance } from '../../src/attack/catalog-text.js';
import { readAttackBundle } from '../../src/attack/stix.js';
import type { AttackDomain } from '../../src/attack/types.js';
import type { BundleInput } from './sources.js';

export interface ReadBundle {
  readonly data: CatalogData;
  readonly provenance: CatalogProvenance;
}

export function readBundleInput(
  input: BundleInput,
  options: { readonly version?: string; readonly domain?: AttackDomain } = {},
): ReadBundle {
  const { label } = input;
  const json = isGzip(input.bytes) ? gunzip(input.bytes, label) : input.bytes;
  let bundle: unknown;
  try {
    bundle = JSON.parse(json.toString('utf8'));
  } catch (error) {
    throw new Error(`${label} is not JSON (${(error as Error).message}); is the file complete?`, {
      cause: error,
    });
  }
  let data: CatalogData;
  try {
    const domain = options.domain ?? input.domainFromName;
    data = readAttackBundle(bundle, {
      ...(domain === undefined ? {} : { domain }),
      ...(options.version === undefined ? {} : { version: options.version }),
    });
  } catch (error) {
    throw new Error(`${label} is not an ATT&CK bundle: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (data.tactics.length === 0 || data.techniques.length === 0) {
    throw new Error(
      `${label} is not an ATT&CK bundle: it holds ${data.tactics.length} tactics and ` +
        `${data.techniques.length} techniques of ${data.domain} ATT&CK`,
    );
  }
  if (data.version === 'unknown') {
    if (input.versionFromName === undefined) {
      throw new Error(`${label} does not say which ATT&CK version it is; pass --version`);
    }
    data = { ...data, version: input.versionFromName };
  }
  const sha256 = createHash('sha256').update(json).digest('hex');
  return { data, provenance: { source: label, sha256 } };
}

function isGzip(bytes: Buffer): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Buffer, label: string): Buffer {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new Error(`${label} is gzip that cannot be unpacked (${(error as Error).message})`, {
      cause: error,
    });
  }
}
