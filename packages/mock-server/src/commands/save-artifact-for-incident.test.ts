import fc from 'fast-check';
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

  it('lets no blank value (a string of any kind of whitespace) replace a stored one', async () => {
    // The contract takes only strings as field values, so a blank is a string of whitespace here.
    const blank = fc.string({
      unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\ufeff'),
      minLength: 1,
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(blank, blank, async (reputation, owner) => {
        const { mock } = await save(
          saveParams([{ Identity: 'case-7', Additional: { Owner: 'kim', Queue: 'L1' } }], 'Ticket'),
        );
        await save(
          saveParams([{ UserName: 'jdoe', Reputation: 'Low' }], null, '20230413-123'),
          mock,
        );
        const { answer } = await save(
          saveParams([{ UserName: 'JDoe', Reputation: reputation }], null, '20230413-123'),
          mock,
        );
        expect(answer.contextData[0]).toMatchObject({ UpdateOrAdd: 'Update' });
        const { answer: ticket } = await save(
          saveParams([{ Identity: 'case-7', Additional: { Owner: owner, Queue: 'L2' } }], 'Ticket'),
          mock,
        );
        expect(ticket.contextData[0]).toMatchObject({ UpdateOrAdd: 'Update' });
        const stored = (type: string) =>
          mock.state.artifacts.filter((a) => a.ArtifactType === type);
        expect(stored('User').find((a) => a.ArtifactName === 'jdoe')?.Fields).toMatchObject({
          Reputation: 'Low',
        });
        expect(stored('Ticket').map((a) => a.Fields['Additional'])).toEqual([
          { Owner: 'kim', Queue: 'L2' },
        ]);
      }),
      { numRuns: 15 },
    );
  });

  it('answers an Internal_IPAddress list sent as a string as the addresses, split at commas', async () => {
    const { answer } = await save(
      saveParams([{ Internal_HostName: 'ws-12', Internal_IPAddress: ' 10.0.0.1 ,10.0.0.2' }]),
    );
    expect(answer.contextData[0]!.ArtifactDetails['Internal_IPAddress']).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });

  describe('identity', () => {
    const sha256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

    it('finds a file by any identity field it shares, whichever fields each save carries', async () => {
      const { mock } = await save(saveParams([{ FileName: 'dropper.exe', SHA256: sha256 }]));
      const files = () => mock.state.artifacts.filter((a) => /dropper|9f86/i.test(a.ArtifactName));
      const { answer } = await save(
        saveParams([{ SHA256: sha256.toUpperCase(), Reputation: 'High' }]),
        mock,
      );
      expect(answer.contextData[0]).toMatchObject({
        ArtifactType: 'File',
        UpdateOrAdd: 'Update',
        ArtifactName: 'dropper.exe',
      });
      expect(files()).toHaveLength(1);
      expect(files()[0]!.Fields).toMatchObject({ FileName: 'dropper.exe', Reputation: 'High' });

      // And the other way round: first the hash alone, then the hash with a name.
      const { mock: other } = await save(saveParams([{ SHA256: sha256 }]));
      const { answer: named } = await save(
        saveParams([{ FileName: 'dropper.exe', SHA256: sha256 }]),
        other,
      );
      expect(named.contextData[0]!.UpdateOrAdd).toBe('Update');
      expect(other.state.artifacts.filter((a) => a.ArtifactType === 'File')).toHaveLength(2);
    });

    it('keeps apart artifacts that share one identity value but differ in another', async () => {
      const { mock } = await save(
        saveParams([
          { FileName: 'a.exe', SHA256: sha256 },
          { ProcessGuid: '{1111}', ProcessName: 'powershell.exe' },
          { External_HostFQDN: 'a.example.com', External_IPAddress: '66.249.64.167' },
        ]),
      );
      const { answer } = await save(
        saveParams([
          { FileName: 'b.exe', SHA256: sha256 },
          { ProcessGuid: '{2222}', ProcessName: 'powershell.exe' },
          { External_HostFQDN: 'b.example.com', External_IPAddress: '66.249.64.167' },
        ]),
        mock,
      );
      expect(answer.contextData.map((a) => a.UpdateOrAdd)).toEqual(['Add', 'Add', 'Add']);
    });

    it('treats an IP list as its addresses: sharing one address is sharing the value', async () => {
      const { mock } = await save(
        saveParams([{ External_IPAddress: '66.249.64.167, 66.249.64.168', Reputation: 'Low' }]),
      );
      const { answer } = await save(
        saveParams([{ External_IPAddress: '66.249.64.168', Reputation: 'High' }]),
        mock,
      );
      expect(answer.contextData[0]).toMatchObject({
        UpdateOrAdd: 'Update',
        ArtifactName: '66.249.64.167, 66.249.64.168',
      });
      expect(
        mock.state.artifacts.filter((a) => String(a.Fields['External_IPAddress']).includes('.168')),
      ).toHaveLength(1);
    });

    it('updates the oldest of several stored artifacts the item matches', async () => {
      const { mock } = await save(saveParams([{ FileName: 'tool.exe' }]));
      await save(saveParams([{ SHA256: sha256 }]), mock);
      const { answer } = await save(
        saveParams([{ FileName: 'tool.exe', SHA256: sha256, Reputation: 'High' }]),
        mock,
      );
      expect(answer.contextData[0]).toMatchObject({
        UpdateOrAdd: 'Update',
        ArtifactName: 'tool.exe',
      });
      const byName = new Map(mock.state.artifacts.map((a) => [a.ArtifactName, a.Fields]));
      expect(byName.get('tool.exe')).toMatchObject({ SHA256: sha256, Reputation: 'High' });
      expect(byName.get(sha256)).toEqual({ SHA256: sha256 });
    });
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

  it('saves addresses outside the class D3 documents a field for, as D3 may', async () => {
    const { answer } = await save(
      saveParams([{ Internal_IPAddress: '8.8.8.8' }, { External_IPAddress: '192.0.2.10' }]),
    );
    expect(answer.error).toBe('');
    expect(answer.contextData.map((artifact) => artifact.ArtifactType)).toEqual([
      'Internal_Endpoint',
      'External_Endpoint',
    ]);
  });

  it('fails at the command level naming each item that does not validate, storing nothing', async () => {
    const mock = createMockD3();
    const before = mock.state.artifacts.length;
    const { answer } = await save(
      saveParams([
        { URL: 'http://fine.example' },
        { Internal_IPAddress: '10.0.0.300' },
        { URL: 'http://a.example', UserName: 'x' },
      ]),
      mock,
    );
    expect(answer.returnData).toBe('Failed');
    expect(answer.contextData).toEqual([]);
    expect(answer.error).toMatch(/Artifact Fields\[1\].*10\.0\.0\.300/);
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
