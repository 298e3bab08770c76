import type { Client } from 'openapi-fetch';
import { expectTypeOf, it } from 'vitest';
import type { paths } from '@d3soar/openapi/contract';
import { createRawClient } from './raw-client.js';

it('createRawClient returns the plain openapi-fetch client of the contract', () => {
  expectTypeOf(createRawClient).returns.toEqualTypeOf<Client<paths>>();
});
