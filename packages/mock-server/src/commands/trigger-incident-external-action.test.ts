import { afterEach, describe, expect, it } from 'vitest';
import { createMockD3 } from '../create-mock.js';
import { createContractChecker } from '../test-support/contract-checker.js';
import { commandUrl, envelope, post, vendorRequestSample } from '../test-support/requests.js';
import type { MockIncident } from '../types.js';

const contract = createContractChecker();
afterEach(() => contract.expectNoViolations());

interface Answer {
  error: string;
  returnData: {
    Status: string;
    Data?: {
      IncidentId: number;
      IncidentNo: string;
      TriggeredPlaybooks: { RuntimeId: number; PlaybookName: string }[];
    };
  };
}

async function trigger(body: unknown, mock = createMockD3()) {
  const response = await contract.checked(mock.fetch)(
    commandUrl('TriggerIncidentExternalAction'),
    post(body),
  );
  expect(response.status).toBe(200);
  return { mock, answer: (await response.json()) as Answer };
}

const where = (conditions: Record<string, unknown>, site = 'Security Operations') =>
  envelope({ 'Search Conditions': conditions, 'Trigger Data': { Reason: 'test' } }, { Site: site });

describe('TriggerIncidentExternalAction', () => {
  it('runs the site’s external-action playbooks for the vendor sample’s incident', async () => {
    const { mock, answer } = await trigger(vendorRequestSample('TriggerIncidentExternalAction'));
    expect(answer.error).toBe('');
    expect(answer.returnData.Status).toBe('Successful');
    expect(answer.returnData.Data).toMatchObject({
      IncidentId: 123,
      IncidentNo: '20230413-123',
      TriggeredPlaybooks: [{ PlaybookName: 'Trigger External Action Playbook' }],
    });
    expect(answer.returnData.Data?.TriggeredPlaybooks[0]?.RuntimeId).toBeTypeOf('number');
    expect(mock.state.playbookRuns).toHaveLength(1);
    for (const run of mock.state.playbookRuns) {
      expect(run.Incident.Number).toBe('20230413-123');
      expect(run.TriggerData).toEqual({ CustomKey1: 'Custom value1', CustomKey2: 'Custom value2' });
      expect(run.Username).toBe('Admin');
    }
  });

  it('matches nothing with the vendor page’s raw sample, whose a|b|c placeholders are literal text', async () => {
    const raw = vendorRequestSample('TriggerIncidentExternalAction');
    const params = raw['CommandParams'] as { 'Search Conditions': Record<string, unknown> };
    params['Search Conditions']['Status'] = 'Open|Closed|In Progress|On Hold';
    params['Search Conditions']['IngestionType'] =
      'Unknown|Schedule Job|Webhook|File|Command|Automation Rule|Manual Creation|Manual Escalation';
    const { mock, answer } = await trigger(raw);
    expect(answer.error).toMatch(/No incident/);
    expect(mock.state.playbookRuns).toEqual([]);
  });

  it('gives every run a new RuntimeId and records one run per playbook per call', async () => {
    const mock = createMockD3();
    mock.state.playbooks.push({
      PlaybookId: 900,
      PlaybookName: 'Second Responder',
      Site: 'Security Operations',
      Triggers: ['On Incident External Action'],
    });
    const answers = [];
    for (let i = 0; i < 3; i += 1)
      answers.push((await trigger(where({ Number: '20230413-123' }), mock)).answer);
    const answered = answers.flatMap((a) => a.returnData.Data?.TriggeredPlaybooks ?? []);
    expect(answered.map((p) => p.PlaybookName)).toEqual(
      Array.from({ length: 3 }, () => [
        'Trigger External Action Playbook',
        'Second Responder',
      ]).flat(),
    );
    const ids = mock.state.playbookRuns.map((run) => run.RuntimeId);
    expect(ids).toEqual(answered.map((p) => p.RuntimeId));
    expect(new Set(ids).size).toBe(6);
  });

  it('answers an empty TriggeredPlaybooks when no playbook of the site has the trigger', async () => {
    const mock = createMockD3();
    mock.state.playbooks.splice(0, mock.state.playbooks.length);
    const { answer } = await trigger(where({ Number: '20230413-123' }), mock);
    expect(answer.error).toBe('');
    expect(answer.returnData.Data?.TriggeredPlaybooks).toEqual([]);
  });

  it('acts on the first matching incident by creation time only', async () => {
    const mock = createMockD3();
    const { answer } = await trigger(where({ Severity: { $in: ['Critical', 'High'] } }), mock);
    const candidates = mock.state.incidents
      .filter((i) => i.Site === 'Security Operations' && ['Critical', 'High'].includes(i.Severity))
      .sort((a, b) => a.CreatedUtcTime.localeCompare(b.CreatedUtcTime));
    expect(candidates.length).toBeGreaterThan(1);
    expect(answer.returnData.Data?.IncidentNo).toBe(candidates[0]!.Number);
    expect(new Set(mock.state.playbookRuns.map((run) => run.Incident.Number)).size).toBe(1);
  });

  it('orders by creation instant whatever the machine’s time zone, reading offset-less times as UTC', async () => {
    const at = (number: string, created: string, id: number): MockIncident => ({
      ...createMockD3().state.incidents[0]!,
      IncidentId: id,
      Number: number,
      Title: 'zone test',
      CreatedUtcTime: created,
    });
    const zone = process.env['TZ'];
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
        process.env['TZ'] = tz;
        const mock = createMockD3();
        mock.state.incidents.push(
          at('Z-LATE', '2030-01-01T10:00:00Z', 9101),
          // 09:30 UTC: as the matcher reads it, and before 10:00Z in every zone.
          at('NO-OFFSET', '2030-01-01T09:30:00', 9102),
          // 08:00 UTC written in another zone: the earliest of the three.
          at('OFFSET', '2030-01-01T10:00:00+02:00', 9103),
        );
        const { answer } = await trigger(where({ Title: 'zone test' }), mock);
        expect(answer.returnData.Data?.IncidentNo, tz).toBe('OFFSET');
        mock.state.incidents.splice(-1, 1);
        const { answer: next } = await trigger(where({ Title: 'zone test' }), mock);
        expect(next.returnData.Data?.IncidentNo, tz).toBe('NO-OFFSET');
      }
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });

  it('compares $date bounds as instants', async () => {
    const mock = createMockD3();
    const { answer } = await trigger(
      where({
        CreatedUtcTime: {
          $gte: { $date: '2023-09-05T08:30:00Z' },
          $lt: { $date: '2023-09-05T08:30:01Z' },
        },
      }),
      mock,
    );
    expect(answer.returnData.Data?.IncidentNo).toBe('20230413-123');
  });

  it.each([
    ['a string', { Number: '20230413-123' }],
    ['a number', { IncidentId: 123 }],
    ['a regular expression', { Number: { $regex: '^20230413-12' } }],
    ['an $in list', { Number: { $in: ['20230413-123', 'none'] } }],
    [
      "a plain $date, the vendor's date form",
      { CreatedUtcTime: { $date: '2023-09-05T08:30:00Z' } },
    ],
    [
      '$gt and $lt with a $date',
      {
        CreatedUtcTime: {
          $gt: { $date: '2023-09-05T08:29:59Z' },
          $lt: { $date: '2023-09-05T08:30:01Z' },
        },
      },
    ],
  ])('finds the incident with each form the vendor lists: %s', async (_, conditions) => {
    const { answer } = await trigger(where(conditions));
    expect(answer.error).toBe('');
    expect(answer.returnData.Data?.IncidentNo).toBe('20230413-123');
  });

  it('finds no incident with an empty $in, the same answer as any search that matches nothing', async () => {
    const { mock, answer } = await trigger(where({ Severity: { $in: [] } }));
    expect(answer.error).toMatch(/No incident/);
    expect(mock.state.playbookRuns).toEqual([]);
  });

  it('searches only the request’s site and runs only that site’s playbooks', async () => {
    const mock = createMockD3();
    const { answer } = await trigger(where({ Status: 'Open' }, 'Managed Detection'), mock);
    const incident = mock.state.incidents.find(
      (i) => i.Number === answer.returnData.Data?.IncidentNo,
    );
    expect(incident?.Site).toBe('Managed Detection');
    expect(answer.returnData.Data?.TriggeredPlaybooks.map((p) => p.PlaybookName)).toEqual([
      'Notify Customer on External Action',
    ]);
  });

  it('fails at the command level when nothing matches, running nothing', async () => {
    const { mock, answer } = await trigger(where({ Number: '20230413-123' }, 'Managed Detection'));
    expect(answer.error).toMatch(/No incident/);
    expect(answer.returnData).toEqual({ Status: 'Failed' });
    expect(mock.state.playbookRuns).toEqual([]);
  });

  it('fails at the command level for a regex that does not compile, naming where', async () => {
    const { answer } = await trigger(where({ Title: { $regex: '(unclosed' } }));
    expect(answer.error).toMatch(/\/Title\/\$regex/);
  });

  // Patterns that keep a backtracking engine busy for minutes on a long title: nested or
  // alternating repetitions, and many bounded quantifiers in a row. D3's own engine takes them, so
  // the mock runs them too, in a worker it stops at the deadline, and keeps answering meanwhile.
  it.each([
    '^(a+)+$',
    '(a|aa)*b',
    '(.*a){12}',
    '^(\\w+\\s?)*$',
    '(a*)*b',
    '.{0,100}'.repeat(10) + 'X',
    '(?:.{0,100}){10}X',
    '.{0,1000}'.repeat(3) + 'X',
    'a{0,1000}'.repeat(2) + '!',
  ])(
    'answers the catastrophic-backtracking pattern %s within its deadline, and goes on serving',
    async (pattern) => {
      const mock = createMockD3({ searchDeadlineMs: 300 });
      try {
        mock.state.incidents.push({
          ...mock.state.incidents[0]!,
          IncidentId: 9001,
          Number: '20240101-9001',
          Title: `${'a'.repeat(2_000)}!`,
        });
        const { answer } = await trigger(where({ Title: { $regex: pattern } }), mock);
        if (answer.error !== '') {
          expect(answer.returnData).toEqual({ Status: 'Failed' });
          expect(answer.error).toMatch(/within the mock's limit of 300 ms|No incident/);
          expect(mock.state.playbookRuns).toEqual([]);
        }
        const { answer: next } = await trigger(where({ Number: '20230413-123' }), mock);
        expect(next.error).toBe('');
      } finally {
        await mock.close();
      }
    },
  );

  it.each([
    ['a lookahead', 'Incident(?= Title)'],
    ['a lookbehind', '(?<=Incident )Title'],
    ['a backreference', '([a-z])\\1'],
    ['a repetition count above 1,000', 'a{0,1001}Incident'],
  ])('runs %s as JavaScript does, as D3 would', async (_, pattern) => {
    const mock = createMockD3();
    try {
      const expected = mock.state.incidents
        .filter((incident) => incident.Site === 'Security Operations')
        .some((incident) => new RegExp(pattern).test(incident.Title));
      expect(expected).toBe(true);
      const { answer } = await trigger(where({ Title: { $regex: pattern } }), mock);
      expect(answer.error).toBe('');
      expect(
        new RegExp(pattern).test(
          mock.state.incidents.find((i) => i.Number === answer.returnData.Data?.IncidentNo)
            ?.Title ?? '',
        ),
      ).toBe(true);
    } finally {
      await mock.close();
    }
  });

  it('answers a pattern only other engines run with a failure that says D3 may take it', async () => {
    const { answer } = await trigger(where({ Title: { $regex: '(?i)incident' } }));
    expect(answer.returnData).toEqual({ Status: 'Failed' });
    expect(answer.error).toMatch(/\/Title\/\$regex.*D3's own engine may/);
  });

  it('runs safe regexes, with the i option', async () => {
    const { answer } = await trigger(
      where({ Title: { $regex: '^incident title', $options: 'i' } }),
    );
    expect(answer.returnData.Data?.IncidentNo).toBe('20220114-11');
  });
});
