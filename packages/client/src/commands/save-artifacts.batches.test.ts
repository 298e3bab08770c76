import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytesAtMost, previewSaveArtifacts, utf8Length } from './save-artifacts.js';

/** The body the client sends for one request, with an envelope exactly as long as the allowance (1 KiB). */
const bodyBytes = (params: unknown): number =>
  Buffer.byteLength(
    JSON.stringify({ Username: 'u'.repeat(512), Site: 's'.repeat(512), CommandParams: params }),
  );

const ip = (n: number): string => `198.51.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;

describe('utf8Length', () => {
  it('counts what UTF-8 encoding produces, surrogate pairs included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text));
      }),
    );
  });
});

describe('jsonBytesAtMost', () => {
  it('is never below what a JSON value takes encoded', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonBytesAtMost(value)).toBeGreaterThanOrEqual(
          Buffer.byteLength(JSON.stringify(value)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('previewSaveArtifacts batches', () => {
  it('sends a small call as one request holding every artifact', () => {
    const preview = previewSaveArtifacts({ incidentNumber: 'I-1', artifacts: [ip(1), ip(2)] });
    expect(preview.call.requests).toHaveLength(1);
    expect(preview.call.requests[0]?.params).toBe(preview.params);
  });

  it('cuts by count and by body size, in input order, every body within maxBodyBytes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // D3 creates no user-defined artifact without a non-blank Identity.
            Identity: fc.string({ maxLength: 40, unit: 'grapheme' }).map((text) => `id ${text}`),
            Notes: fc.string({ maxLength: 300, unit: 'grapheme' }),
          }),
          { minLength: 1, maxLength: 120 },
        ),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 2_000, max: 20_000 }),
        (artifacts, batchSize, maxBodyBytes) => {
          const fieldSets = artifacts.map(({ Identity, Notes }) => ({
            Identity,
            Additional: { Notes },
          }));
          const preview = previewSaveArtifacts(
            { incidentNumber: 'I-1', artifacts: fieldSets, artifactType: 'UserDefined' },
            { batchSize, maxBodyBytes },
          );
          const { requests } = preview.call;
          const sent = requests.flatMap((request) => request.params['Artifact Fields']);
          expect(sent).toEqual(preview.params['Artifact Fields']);
          for (const request of requests) {
            const batch = request.params['Artifact Fields'];
            expect(request.items).toBe(batch.length);
            expect(batch.length).toBeLessThanOrEqual(batchSize);
            expect(request.params['Incident Number']).toBe('I-1');
            if (batch.length > 1)
              expect(bodyBytes(request.params)).toBeLessThanOrEqual(maxBodyBytes);
          }
          // Batches are as full as the limits allow: no two neighbours would fit in one.
          for (let i = 1; i < requests.length; i++) {
            const joined = [
              ...requests[i - 1]!.params['Artifact Fields'],
              ...requests[i]!.params['Artifact Fields'],
            ];
            const fits =
              joined.length <= batchSize &&
              bodyBytes({ ...preview.params, 'Artifact Fields': joined }) <= maxBodyBytes;
            expect(fits).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sends an artifact too large on its own in a request of its own, with a warning', () => {
    const big = { Identity: 'big', Additional: { Notes: 'x'.repeat(5_000) } };
    const preview = previewSaveArtifacts(
      { incidentNumber: 'I-1', artifacts: [{ Identity: 'a' }, big, { Identity: 'b' }] },
      { maxBodyBytes: 4_000 },
    );
    expect(preview.call.requests.map((request) => request.items)).toEqual([1, 1, 1]);
    expect(preview.warnings).toEqual([
      expect.objectContaining({ code: 'artifact-over-body-limit', path: 'artifacts.1' }),
    ]);
  });

  it('names the option of a bad limit', () => {
    expect(() =>
      previewSaveArtifacts({ incidentNumber: 'I-1', artifacts: [ip(1)] }, { maxBodyBytes: 0 }),
    ).toThrow(/maxBodyBytes/);
  });
});
