import { describe, expect, it } from 'vitest';
import { connect } from './config.js';
import { previewTagging, tagEvents, type TagEventsInput } from './commands/tag-events.js';
import type { EventProgress } from './progress.js';

/** A progress that records every advance instead of drawing a bar. */
function recordingProgress(): EventProgress & { advanced: number[] } {
  const advanced: number[] = [];
  return { active: true, advanced, advance: (events) => advanced.push(events), stop: () => {} };
}

describe('tag-events progress', () => {
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
      await tagEvents(connection, preview, input, confirmed);
      expect(confirmed.advanced).toEqual([eventIds.length]);

      connection.mock!.inject('SetEventTechniques', { type: 'command-error', message: 'Busy.' });
      const refused = recordingProgress();
      await tagEvents(connection, preview, input, refused).catch(() => undefined);
      expect(refused.advanced).toEqual([]);
    } finally {
      await connection.close();
    }
  });
});
