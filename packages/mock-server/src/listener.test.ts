import { afterEach, describe, expect, it } from 'vitest';
import { createMockD3 } from './create-mock.js';
import { createContractChecker } from './test-support/contract-checker.js';
import { commandUrl, post, signJwt, vendorSetEventTechniques } from './test-support/requests.js';
import { bodyTooLargeMessage, maxBodyBytes } from './read-body.js';
import type { MockD3 } from './types.js';

const contract = createContractChecker();
let mock: MockD3 | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
  contract.expectNoViolations();
});

describe('listen', () => {
  it('binds to 127.0.0.1 and resolves to a base URL with the namespace', async () => {
    mock = createMockD3();
    const base = await mock.listen();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/MainApp\/VSOC$/);
    const custom = createMockD3();
    try {
      expect(await custom.listen({ namespace: '/ce_site/VSOC/' })).toMatch(/:\d+\/ce_site\/VSOC$/);
    } finally {
      await custom.close();
    }
  });

  it('serves every command over HTTP with answers that fit the contract, JWT auth included', async () => {
    mock = createMockD3();
    const base = await mock.listen();
    const fetch = contract.checked(globalThis.fetch);
    const token = await signJwt('mock-jwt-secret', { Username: 'Admin' });
    const responses = await Promise.all([
      fetch(commandUrl('SetEventTechniques', base), post(vendorSetEventTechniques)),
      fetch(
        commandUrl('SetEventTechniques', base),
        post(vendorSetEventTechniques, { d3jwt: token }),
      ),
      fetch(commandUrl('SetEventTechniques', base), post('{"broken"', {})),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 401]);
    expect(contract.count).toBe(3);
  });

  it('answers 400 over HTTP for a body over 1 MiB, whether sent with a length or chunked', async () => {
    mock = createMockD3();
    const url = commandUrl('SetEventTechniques', await mock.listen());
    const fetch = contract.checked(globalThis.fetch);
    const oversized = JSON.stringify({
      ...vendorSetEventTechniques,
      Pad: 'x'.repeat(maxBodyBytes),
    });
    const chunked = (): ReadableStream<Uint8Array> => {
      const bytes = new TextEncoder().encode(oversized);
      let offset = 0;
      return new ReadableStream({
        pull(controller) {
          if (offset >= bytes.length) {
            controller.close();
            return;
          }
          controller.enqueue(bytes.slice(offset, offset + 65_536));
          offset += 65_536;
        },
      });
    };
    const withLength = await fetch(url, post(oversized));
    // `duplex` is required by Node's fetch for a stream body, but not in RequestInit's type.
    const streamedInit: RequestInit & { duplex: 'half' } = {
      ...post(''),
      body: chunked(),
      duplex: 'half',
    };
    const streamed = await fetch(url, streamedInit);
    for (const response of [withLength, streamed]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ Error: bodyTooLargeMessage });
    }
    // The connection and the server are fine afterwards.
    expect((await fetch(url, post(vendorSetEventTechniques))).status).toBe(200);
  });

  it('stops serving on close(), and can listen again afterwards', async () => {
    mock = createMockD3();
    const base = await mock.listen();
    await mock.close();
    await expect(
      fetch(commandUrl('SetEventTechniques', base), post(vendorSetEventTechniques)),
    ).rejects.toThrow();
    const again = await mock.listen();
    const response = await contract.checked(fetch)(
      commandUrl('SetEventTechniques', again),
      post(vendorSetEventTechniques),
    );
    expect(response.status).toBe(200);
  });

  it('refuses to listen twice at once, or without a namespace', async () => {
    mock = createMockD3();
    await mock.listen();
    await expect(mock.listen()).rejects.toThrow(/already listening/);
    await expect(createMockD3().listen({ namespace: '/' })).rejects.toThrow(/namespace/);
  });

  it('rejects when the port is taken', async () => {
    mock = createMockD3();
    const port = Number(new URL(await mock.listen()).port);
    const other = createMockD3();
    await expect(other.listen({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await other.close();
  });
});
