import { afterEach, describe, expect, it } from 'vitest';
import { createMockD3 } from '../create-mock.js';
import { createContractChecker } from '../test-support/contract-checker.js';
import { commandUrl, envelope, post, vendorRequestSample } from '../test-support/requests.js';

const contract = createContractChecker();
afterEach(() => contract.expectNoViolations());

interface ArtifactAnswer {
  ArtifactType: string;
  Status: string;
  ArtifactName: string;
  UpdateOrAdd: 'Add' | 'Update';
  ArtifactDetails: Record<string, unknown>;
}
interface Answer {
  error: string;
  returnData: string;
  contextData: ArtifactAnswer[];
}

async function save(body: unknown, mock = createMockD3()) {
  const response = await contract.checked(mock.fetch)(
    commandUrl('SaveArtifactForIncident'),
    post(body),
  );
  expect(response.status).toBe(200);
  return { mock, answer: (await response.json()) as Answer };
}

function saveParams(fields: unknown[], type: string | null = null, number = '20220114-11') {
  return envelope({ 'Artifact Type': type, 'Artifact Fields': fields, 'Incident Number': number });
}

describe('SaveArtifactForIncident', () => {
  it('detects the vendor sample types and answers with response type names', async () => {
    const { answer } = await save(vendorRequestSample('SaveArtifactForIncident'));
    expect(answer.error).toBe('');
    expect(answer.returnData).toBe('Successful');
    expect(answer.contextData.map((a) => a.ArtifactType)).toEqual([
      'URL',
      'User',
      'File',
      'External_Endpoint',
      'Internal_Endpoint',
      'Email',
      'Process',
      'Service',
      'Module',
      'Driver',
      'Signature',
      'Certificate',
      'Registry',
      'UserDefined',
    ]);
    expect(answer.contextData.every((a) => a.Status === 'Successful')).toBe(true);
  });

  it('adds and updates where the vendor response does, given the default data set', async () => {
    const { answer } = await save(vendorRequestSample('SaveArtifactForIncident'));
    const byType = new Map(answer.contextData.map((a) => [a.ArtifactType, a]));
    expect(byType.get('URL')).toMatchObject({
      UpdateOrAdd: 'Add',
      ArtifactName: 'http://example.com',
    });
    // Unchanged: the vendor answers Update with the fields alone.
    expect(byType.get('User')).toMatchObject({
      UpdateOrAdd: 'Update',
      ArtifactDetails: { UserName: 'Administrator' },
    });
    expect(byType.get('File')).toMatchObject({
      UpdateOrAdd: 'Update',
      ArtifactName: 'playbookfile.exe',
      ArtifactDetails: { Old: { Reputation: 'Medium' }, New: { Reputation: 'High' } },
    });
    expect(byType.get('External_Endpoint')).toMatchObject({
      UpdateOrAdd: 'Update',
      ArtifactName: 'D3Admin.example.ca',
      ArtifactDetails: { Old: { Reputation: 'High' }, New: { Reputation: 'Medium' } },
    });
    expect(byType.get('Internal_Endpoint')).toMatchObject({
      UpdateOrAdd: 'Add',
      ArtifactDetails: { Internal_IPAddress: ['192.168.2.112'] },
    });
    expect(byType.get('Email')).toMatchObject({ UpdateOrAdd: 'Update' });
  });

  it('stores each artifact once per identity, linked to the incident', async () => {
    const { mock } = await save(vendorRequestSample('SaveArtifactForIncident'));
    const before = mock.state.artifacts.length;
    const { answer } = await save(vendorRequestSample('SaveArtifactForIncident'), mock);
    expect(mock.state.artifacts.length).toBe(before);
    expect(answer.contextData.every((a) => a.UpdateOrAdd === 'Update')).toBe(true);
    const url = mock.state.artifacts.filter((a) => a.ArtifactType === 'URL');
    expect(url).toEqual([
      expect.objectContaining({
        IncidentNumber: '20220114-11',
        Site: 'Security Operations',
        ResponseType: 'URL',
        Identity: { field: 'URL', value: 'http://example.com' },
      }),
    ]);
  });

  it('matches identities case-insensitively and keeps stored values the update leaves blank', async () => {
    const { mock } = await save(saveParams([{ UserName: 'jdoe', Reputation: 'Low' }]));
    const { answer } = await save(saveParams([{ UserName: 'JDOE', Reputation: '' }]), mock);
    expect(answer.contextData[0]).toMatchObject({ UpdateOrAdd: 'Update', ArtifactName: 'jdoe' });
    const users = mock.state.artifacts.filter(
      (a) => a.ArtifactType === 'User' && /jdoe/i.test(a.ArtifactName),
    );
    expect(users).toHaveLength(1);
    expect(users[0]!.Fields).toMatchObject({ Reputation: 'Low' });
  });

  it('keeps artifacts of different incidents apart', async () => {
    const { mock } = await save(saveParams([{ URL: 'http://shared.example' }]));
    const { answer } = await save(
      saveParams([{ URL: 'http://shared.example' }], null, '20230413-123'),
      mock,
    );
    expect(answer.contextData[0]!.UpdateOrAdd).toBe('Add');
    expect(
      mock.state.artifacts.filter((a) => a.ArtifactName === 'http://shared.example'),
    ).toHaveLength(2);
  });

  it('checks items against an explicit type, and files user-defined types under their own name', async () => {
    const { answer: fits } = await save(
      saveParams([{ External_IPAddress: '66.249.64.167' }], 'External IP'),
    );
    expect(fits.contextData[0]).toMatchObject({
      ArtifactType: 'External_Endpoint',
      ArtifactName: '66.249.64.167',
    });
    const { answer: custom } = await save(
      saveParams([{ Identity: 'case-42', Additional: { Owner: 'kim' } }], 'Ticket'),
    );
    expect(custom.contextData[0]).toMatchObject({
      ArtifactType: 'Ticket',
      ArtifactName: 'case-42',
    });
    const { answer: misfit } = await save(saveParams([{ URL: 'http://a.example' }], 'User'));
    expect(misfit.error).toMatch(/Artifact Fields\[0\]/);
    expect(misfit.error).toMatch(/User/);
  });

  it('fails at the command level naming each item that does not validate, storing nothing', async () => {
    const mock = createMockD3();
    const before = mock.state.artifacts.length;
    const { answer } = await save(
      saveParams([
        { URL: 'http://fine.example' },
        { Internal_IPAddress: '8.8.8.8' },
        { URL: 'http://a.example', UserName: 'x' },
      ]),
      mock,
    );
    expect(answer.returnData).toBe('Failed');
    expect(answer.contextData).toEqual([]);
    expect(answer.error).toMatch(/Artifact Fields\[1\].*8\.8\.8\.8/);
    expect(answer.error).toMatch(/Artifact Fields\[2\]/);
    expect(answer.error).not.toMatch(/Artifact Fields\[0\]/);
    expect(mock.state.artifacts.length).toBe(before);
  });

  it('fails at the command level for an unknown incident, naming it', async () => {
    const { answer } = await save(saveParams([{ URL: 'http://a.example' }], null, '20991231-1'));
    expect(answer.error).toMatch(/20991231-1/);
    expect(answer.returnData).toBe('Failed');
  });

  it('refuses prototype-polluting keys without touching Object.prototype', async () => {
    const body = `{"Username":"Admin","Site":"Security Operations","CommandParams":{"Artifact Type":null,"Artifact Fields":[{"Identity":"x","Additional":{"__proto__":"polluted"}}],"Incident Number":"20220114-11"}}`;
    const mock = createMockD3();
    const response = await contract.checked(mock.fetch)(
      commandUrl('SaveArtifactForIncident'),
      post(body),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Answer;
    expect(answer.error).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
