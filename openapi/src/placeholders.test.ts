import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { openapiDocument } from './index.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Hosts reserved for examples and tests: a URL on them is a placeholder, never a real address. */
const placeholderUrl =
  /https?:\/\/[^\s"']*\.(?:invalid|test|example)\b|example\.(?:com|org|net)\/d3soar/i;

describe('placeholder URLs', () => {
  it('appear nowhere in the document outside its examples', () => {
    const { info, servers, externalDocs } = openapiDocument as Record<string, unknown>;
    expect(JSON.stringify({ info, servers, externalDocs })).not.toMatch(placeholderUrl);
  });

  it('appear in no published package metadata: better nothing than something fake', () => {
    const manifests = [
      'openapi',
      ...readdirSync(join(repoRoot, 'packages')).map((name) => `packages/${name}`),
    ];
    for (const dir of manifests) {
      const text = readFileSync(join(repoRoot, dir, 'package.json'), 'utf8');
      expect(text, dir).not.toMatch(placeholderUrl);
    }
  });
});
