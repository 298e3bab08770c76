import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The client as an application bundles it: the built entry point (the package's tests run after
// its build), everything it imports inlined except openapi-fetch, which applications share.
const ENTRY = new URL('../dist/index.js', import.meta.url).pathname;
const LIMIT_BYTES = 100_000;
/** Code the client must not pull in: the matcher's regex engines and the non-enterprise data. */
const FORBIDDEN = ['re2js', 'regexpp', 'sift', '/data/mobile', '/data/ics'];

describe('bundle size', () => {
  it(`bundles to at most ${LIMIT_BYTES} bytes gzipped, without the matcher or other ATT&CK domains`, async () => {
    const result = await build({
      entryPoints: [ENTRY],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      external: ['openapi-fetch'],
      metafile: true,
      write: false,
      logLevel: 'silent',
      // No tsconfig: its `paths` point workspace packages at their sources, and an application
      // gets them as published, through their exports maps.
      tsconfigRaw: {},
    });
    const [output] = result.outputFiles;
    expect(output).toBeDefined();
    const gzipped = gzipSync(output?.contents ?? new Uint8Array(), { level: 9 }).length;
    // What each input put into the bundle: a module that is read but tree-shaken away (an unused
    // ATT&CK domain next to the enterprise one) contributes 0 bytes, so it does not count.
    const inputs = Object.values(result.metafile.outputs)
      .flatMap((out) => Object.entries(out.inputs))
      .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
      .filter(({ bytes }) => bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
    console.log(`client bundle: ${gzipped} bytes gzipped (limit ${LIMIT_BYTES})`);
    console.log(
      'largest inputs:\n' +
        inputs
          .slice(0, 5)
          .map(({ path, bytes }) => `  ${bytes} ${path}`)
          .join('\n'),
    );
    expect(inputs.filter(({ path }) => FORBIDDEN.some((part) => path.includes(part)))).toEqual([]);
    expect(gzipped).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});
