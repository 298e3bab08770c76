import { describe, expect, it } from 'vitest';
import { repeatedPhrase } from './repeated-phrase.js';

describe('repeatedPhrase', () => {
  it.each([
    [
      'D3 rejected the request (400): SaveArtifactForIncident: D3 rejected the request (400): x',
      '(400)',
    ],
    [
      'D3 refused the command: TriggerIncidentExternalAction: D3 says the command failed: D3 says the command failed',
      'd3 says the',
    ],
  ])('finds what a message says twice: %s', (message, phrase) => {
    expect(repeatedPhrase(message)).toBe(phrase);
  });

  it('accepts a message that says each thing once', () => {
    expect(
      repeatedPhrase(
        'SaveArtifactForIncident: D3 rejected the request (400): The request is invalid.',
      ),
    ).toBeUndefined();
  });
});
