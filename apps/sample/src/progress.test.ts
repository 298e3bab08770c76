import { describe, expect, it } from 'vitest';
import { connect } from './config.js';
import { previewArtifacts, saveArtifacts } from './commands/save-artifacts.js';
import { previewTagging, tagEvents, type TagEventsInput } from './commands/tag-events.js';
import type { BatchProgress } from './progress.js';

/** A progress that records every advance instead of drawing a bar. */
function recordingProgress(): BatchProgress & { advanced: number[] } {
  const advanced: number[] = [];
  return { active: true, advanced, advance: (items) => advanced.push(items), stop: () => {} };
}

describe('tag-events progress', { timeout: 30_000 }, () => {
  it('advances by the events of each batch D3 confirmed, and not for a failed one', async () => {
    const connection = await connect({ kind: 'mock', username: 'Admin' });
    try {
      const eventIds = connection
        .mock!.state.events.filter((event) => event.Site === connection.describe.site)
        .slice(0, 3)
        .map((event) => event.EventId);
      const input: TagEventsInput = { eventIds, tactics: [], techniques: ['T1569'], as: 'name' };
      const preview = await previewTagging(input);

      const confirmed = recordingProgress();
      await tagEvents(connection, preview, confirmed);
      expect(confirmed.advanced).toEqual([eventIds.length]);

      connection.mock!.inject('SetEventTechniques', { type: 'command-error', message: 'Busy.' });
      const refused = recordingProgress();
      await tagEvents(connection, preview, refused).catch(() => undefined);
      expect(refused.advanced).toEqual([]);
    } finally {
      await connection.close();
    }
  });
});

describe('save-artifacts progress', { timeout: 30_000 }, () => {
  it('advances by the artifacts of each batch, and the report keeps the failed one', async () => {
    const connection = await connect({ kind: 'mock', username: 'Admin' });
    try {
      const artifacts = Array.from({ length: 1_200 }, (_, n) => `11.0.${n >> 8}.${n & 255}`);
      const incident = connection.mock!.state.incidents.find(
        (candidate) => candidate.Site === connection.describe.site,
      )!;
      const prepared = await previewArtifacts({
        incidentNumber: incident.Number,
        artifacts,
        artifactType: null,
      });
      expect(prepared.report.batches).toBe(3);

      const confirmed = recordingProgress();
      const report = await saveArtifacts(connection, prepared, confirmed);
      expect(confirmed.advanced).toEqual([500, 500, 200]);
      expect(report.saved).toHaveLength(1_200);

      connection.mock!.inject(
        'SaveArtifactForIncident',
        { type: 'command-error', message: 'Busy.' },
        { times: 1 },
      );
      const partly = recordingProgress();
      const again = await saveArtifacts(connection, prepared, partly);
      expect(partly.advanced.reduce((sum, n) => sum + n, 0)).toBe(
        1_200 - again.failedBatches![0]!.artifacts,
      );
      expect(again.failedBatches).toHaveLength(1);
      expect(again.failedBatches?.[0]?.error).toContain('command failed: Busy');
    } finally {
      await connection.close();
    }
  });
});
