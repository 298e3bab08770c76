import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createMockD3 } from './create-mock.js';
import { contentTypeMessage, isJsonContentType } from './content-type.js';
import { commandUrl, envelope, vendorSetEventTechniques } from './test-support/requests.js';

describe('the Content-Type of a request body', () => {
  it('is application/json with any parameters and letter case', () => {
    for (const header of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/json;charset=UTF-16',
    ]) {
      expect(isJsonContentType(header)).toBe(true);
    }
    for (const header of [
      null,
      '',
      'text/plain',
      'application/jsonx',
      'application/problem+json',
      'text/json',
    ]) {
      expect(isJsonContentType(header)).toBe(false);
    }
  });

  it('accepts no media type but application/json, whatever else is sent', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        const mediaType = header.split(';', 1)[0]?.trim().toLowerCase();
        expect(isJsonContentType(header)).toBe(mediaType === 'application/json');
      }),
    );
  });

  it.each([
    ['text/plain', 'Content-Type "text/plain"'],
    ['application/x-www-form-urlencoded', 'Content-Type "application/x-www-form-urlencoded"'],
    [undefined, 'no Content-Type'],
  ])('gets the vendor 400 shape naming the type sent (%s)', async (type, named) => {
    const mock = createMockD3();
    const headers: Record<string, string> = { d3key: 'mock-api-key' };
    if (type !== undefined) headers['content-type'] = type;
    const response = await mock.fetch(commandUrl('SetEventTechniques'), {
      method: 'POST',
      headers,
      // A Blob without a type, so fetch adds no Content-Type of its own.
      body: new Blob([JSON.stringify(vendorSetEventTechniques)]),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { Error: string };
    expect(body).toEqual({ Error: contentTypeMessage(type ?? null) });
    expect(body.Error).toContain(named);
    expect(mock.state.events).toEqual(createMockD3().state.events);
  });

  it('with a charset, is served as usual', async () => {
    const mock = createMockD3();
    const response = await mock.fetch(commandUrl('SetEventTechniques'), {
      method: 'POST',
      headers: { d3key: 'mock-api-key', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(envelope({ 'Event IDs': [60250], Techniques: ['T1569'] })),
    });
    expect(response.status).toBe(200);
  });
});
