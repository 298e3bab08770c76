import { describe, expect, it } from 'vitest';
import * as artifacts from './index.js';
import { isBlankArtifactValue } from './values.js';

describe('isBlankArtifactValue', () => {
  it.each([[null], [undefined], [''], ['   '], ['\t\u00a0\u2003\ufeff'], [[]], [['', null, ' ']]])(
    'calls %j blank',
    (value) => {
      expect(isBlankArtifactValue(value)).toBe(true);
    },
  );

  it.each([['x'], [' x '], [0], [false], [{}], [['', '10.0.0.1']], [Number.NaN]])(
    'calls %j not blank',
    (value) => {
      expect(isBlankArtifactValue(value)).toBe(false);
    },
  );
});

describe('the ./artifacts entry point', () => {
  it('exports the helpers the mock server reuses', () => {
    expect(artifacts.isBlankArtifactValue('  ')).toBe(true);
    expect(artifacts.splitIpList('66.249.64.167, ::1,,')).toEqual(['66.249.64.167', '::1', '', '']);
  });
});
