import { describe, expect, it } from 'vitest';
import { createD3Client } from './client.js';
import { previewSaveArtifacts } from './commands/save-artifacts.js';
import { previewSetEventTechniques } from './commands/set-event-techniques.js';
import { previewTriggerIncidentExternalAction } from './commands/trigger-external-action.js';
import { D3ValidationError } from './errors.js';
import { captureLogger } from './test-support/capture-logger.js';
import { mockWithClient, seedIncident } from './test-support/mock-client.js';

// Warnings: what D3 may not take as meant. They travel with every preview, are logged before a
// call is sent, and refuse the call only under `warnings: 'throw'`.

const codes = (warnings: readonly { code: string; path: string }[]) =>
  warnings.map(({ code, path }) => `${code} ${path}`);

describe('preview warnings', () => {
  it('SetEventTechniques: revoked, deprecated and unpaired techniques, at their input paths', () => {
    const preview = previewSetEventTechniques({
      eventIds: [1],
      tactics: ['Execution'],
      // T1086 is revoked by T1059.001; T1064 is deprecated (Defense Evasion, Execution); T1078
      // has no Execution tactic.
      techniques: ['T1086', 'T1064', 'T1078'],
    });
    expect(codes(preview.warnings)).toEqual([
      'revoked-technique techniques.0',
      'deprecated-technique techniques.1',
      'unpaired-technique techniques.2',
    ]);
    // A close input that D3 takes as meant has none.
    expect(
      previewSetEventTechniques({
        eventIds: [1],
        tactics: ['Execution'],
        techniques: ['T1059.001'],
      }).warnings,
    ).toEqual([]);
  });

  it('SaveArtifactForIncident: an address outside its field’s range, at the artifact’s field', () => {
    const preview = previewSaveArtifacts({
      incidentNumber: '20230413-1',
      artifacts: [{ External_IPAddress: '66.249.64.167' }, { External_IPAddress: '10.1.2.3' }],
    });
    expect(codes(preview.warnings)).toEqual(['ip-not-public artifacts.1.External_IPAddress']);
    // Sent all the same.
    expect(preview.params['Artifact Fields']).toHaveLength(2);
  });

  it('TriggerIncidentExternalAction: an operator the vendor does not show, under where', () => {
    const preview = previewTriggerIncidentExternalAction({
      where: { CreatedUtcTime: { $gte: { $date: '2023-09-01T00:00:00Z' } } },
      triggerData: {},
    });
    expect(codes(preview.warnings)).toEqual(['extension-operator where.CreatedUtcTime.$gte']);
    expect(
      previewTriggerIncidentExternalAction({
        where: { CreatedUtcTime: { $gt: { $date: '2023-09-01T00:00:00Z' } } },
        triggerData: {},
      }).warnings,
    ).toEqual([]);
  });
});

describe('the client and warnings', () => {
  const unpaired = { tactics: ['Initial Access'], techniques: ['T1569'] };

  it('logs each warning before the call is sent, and sends it', async () => {
    const logger = captureLogger();
    const { mock, client } = mockWithClient({}, { logger });
    await client.setEventTechniques({ eventIds: [60250], ...unpaired });
    const warning = logger.lines.findIndex((line) => line.startsWith('warn D3 input warning'));
    const request = logger.lines.findIndex((line) => line.startsWith('debug D3 request'));
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(logger.lines[warning]).toContain('"code":"unpaired-technique"');
    expect(warning).toBeLessThan(request);
    expect(mock.state.requests.SetEventTechniques).toBe(1);
  });

  it("with warnings: 'throw', sends nothing and lists the warnings as issues with their codes", async () => {
    let sent = 0;
    const client = createD3Client({
      baseUrl: 'https://d3.example.invalid/MainApp/VSOC',
      username: 'Admin',
      site: 'S',
      auth: { apiKey: 'warnings-test-key' },
      warnings: 'throw',
      fetch: () => {
        sent++;
        return Promise.resolve(Response.json({ error: '' }));
      },
    });
    const typed = await client
      .setEventTechniques({ eventIds: [1], ...unpaired })
      .catch((error: unknown) => error);
    expect(typed).toBeInstanceOf(D3ValidationError);
    expect((typed as D3ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'techniques.0', code: 'unpaired-technique' }),
    ]);
    // A preview sent as is gets the same rule.
    const preview = previewTriggerIncidentExternalAction({
      where: { Severity: { $in: [] } },
      triggerData: {},
    });
    const viaSend = await client.send(preview).catch((error: unknown) => error);
    expect(viaSend).toBeInstanceOf(D3ValidationError);
    expect((viaSend as D3ValidationError).issues[0]).toMatchObject({
      path: 'where.Severity.$in',
      code: 'empty-in',
    });
    expect(sent).toBe(0);
  });

  it("with warnings: 'throw', still sends a call that has none", async () => {
    const { client } = mockWithClient({}, { warnings: 'throw' });
    const incident = seedIncident(0);
    const saved = await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: ['66.249.64.167'],
    });
    expect(saved.contextData).toHaveLength(1);
  });

  it('refuses an unknown warning policy at creation', () => {
    expect(() =>
      createD3Client({
        baseUrl: 'https://d3.example.invalid/MainApp/VSOC',
        username: 'Admin',
        site: 'S',
        auth: { apiKey: 'warnings-test-key' },
        warnings: 'ignore' as 'log',
      }),
    ).toThrow(/warnings must be 'log' or 'throw'/);
  });
});
