import { afterEach, describe, expect, it } from 'vitest';
import { createMockD3 } from '../create-mock.js';
import { attackGuid } from '../guid.js';
import { createContractChecker } from '../test-support/contract-checker.js';
import { commandUrl, envelope, post, vendorSetEventTechniques } from '../test-support/requests.js';

const contract = createContractChecker();
afterEach(() => contract.expectNoViolations());

interface Assignment {
  TacticId: string;
  TacticName: string;
  TechniqueId: string;
  TechniqueName: string;
}
interface Answer {
  error: string;
  returnData: string;
  contextData: { EventId: number; techniques: Assignment[] }[];
}

async function setTechniques(body: unknown, mock = createMockD3()) {
  const response = await contract.checked(mock.fetch)(commandUrl('SetEventTechniques'), post(body));
  expect(response.status).toBe(200);
  return { mock, answer: (await response.json()) as Answer };
}

const pairNames = (techniques: Assignment[]) =>
  techniques.map((t) => `${t.TacticName} / ${t.TechniqueName}`).sort();

describe('SetEventTechniques', () => {
  it('answers the vendor sample with the pairs the vendor response shows, for each event', async () => {
    const { answer } = await setTechniques(vendorSetEventTechniques);
    expect(answer.error).toBe('');
    expect(answer.returnData).toBe('Successful');
    expect(answer.contextData.map((entry) => entry.EventId)).toEqual([60250, 60251]);
    for (const entry of answer.contextData) {
      expect(pairNames(entry.techniques)).toEqual([
        'Execution / System Services',
        'Initial Access / Valid Accounts: Cloud Accounts',
        'Persistence / Traffic Signaling: Port Knocking',
        'Persistence / Valid Accounts: Cloud Accounts',
      ]);
    }
  });

  it('answers with stable upper-case GUIDs derived from the ATT&CK IDs', async () => {
    const { answer } = await setTechniques(vendorSetEventTechniques);
    const { answer: again } = await setTechniques(vendorSetEventTechniques);
    expect(again.contextData).toEqual(answer.contextData);
    const pairs = answer.contextData[0]!.techniques;
    const persistence = pairs.filter((p) => p.TacticName === 'Persistence');
    expect(new Set(persistence.map((p) => p.TacticId))).toEqual(new Set([attackGuid('TA0003')]));
    const cloud = pairs.find((p) => p.TechniqueName === 'Valid Accounts: Cloud Accounts');
    expect(cloud?.TechniqueId).toBe(attackGuid('T1078.004'));
  });

  it('stores the pairs on each event, once however often they are set', async () => {
    const { mock } = await setTechniques(vendorSetEventTechniques);
    await setTechniques(vendorSetEventTechniques, mock);
    const event = mock.state.events.find((e) => e.EventId === 60250)!;
    expect(event.Techniques).toHaveLength(4);
    expect(
      event.Techniques.map((p) => `${p.AttackTacticId}/${p.AttackTechniqueId}`).sort(),
    ).toEqual(['TA0001/T1078.004', 'TA0002/T1569', 'TA0003/T1078.004', 'TA0003/T1205.001']);
    await setTechniques(envelope({ 'Event IDs': [60250], Techniques: ['T1059.001'] }), mock);
    expect(event.Techniques).toHaveLength(5);
    expect(mock.state.events.find((e) => e.EventId === 60252)!.Techniques).toEqual([]);
  });

  it('pairs a technique with all its tactics when no tactic is requested', async () => {
    const { answer } = await setTechniques(
      envelope({ 'Event IDs': [60252], Techniques: ['Traffic Signaling: Port Knocking'] }),
    );
    expect(answer.contextData[0]!.techniques.map((p) => p.TacticName)).toEqual([
      'Persistence',
      'Defense Evasion',
      'Command and Control',
    ]);
  });

  it('follows a revoked technique ID to the technique that replaced it', async () => {
    const { answer } = await setTechniques(
      envelope({ 'Event IDs': [60252], Techniques: ['T1086'] }),
    );
    expect(answer.contextData[0]!.techniques[0]).toMatchObject({
      TacticName: 'Execution',
      TechniqueName: 'Command and Scripting Interpreter: PowerShell',
      TechniqueId: attackGuid('T1059.001'),
    });
  });

  it('answers one entry per event when an ID is repeated', async () => {
    const { answer } = await setTechniques(
      envelope({ 'Event IDs': [60252, 60252, 60253], Techniques: ['T1569'] }),
    );
    expect(answer.contextData.map((entry) => entry.EventId)).toEqual([60252, 60253]);
  });

  it('fails at the command level naming every unknown event, storing nothing', async () => {
    const { mock, answer } = await setTechniques(
      envelope({ 'Event IDs': [60250, 99999, 71000], Techniques: ['T1569'] }),
    );
    expect(answer.error).toMatch(/99999/);
    // 71000 exists, but in the other site.
    expect(answer.error).toMatch(/71000/);
    expect(answer.error).not.toMatch(/60250/);
    expect(answer.returnData).toBe('Failed');
    expect(answer.contextData).toEqual([]);
    expect(mock.state.events.find((e) => e.EventId === 60250)!.Techniques).toEqual([]);
  });

  it('fails at the command level naming every name that does not resolve, with suggestions', async () => {
    const { answer } = await setTechniques(
      envelope({
        'Event IDs': [60250],
        Tactics: ['Initial Acces'],
        Techniques: ['T1569', 'powershel', 'Cloud Accounts'],
      }),
    );
    expect(answer.error).toMatch(/Initial Acces/);
    expect(answer.error).toMatch(/TA0001/);
    expect(answer.error).toMatch(/powershel/);
    expect(answer.error).toMatch(/T1059\.001/);
    // Ambiguous bare sub-technique names are refused too, listing the candidates.
    expect(answer.error).toMatch(/T1078\.004/);
    expect(answer.error).not.toMatch(/T1569/);
  });

  it('answers empty technique lists when only tactics are given', async () => {
    const { mock, answer } = await setTechniques(
      envelope({ 'Event IDs': [60254], Tactics: ['TA0001'] }),
    );
    expect(answer.contextData).toEqual([{ EventId: 60254, techniques: [] }]);
    expect(mock.state.events.find((e) => e.EventId === 60254)!.Techniques).toEqual([]);
  });
});
