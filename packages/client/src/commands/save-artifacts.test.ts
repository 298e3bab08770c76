import { describe, expect, it } from 'vitest';
import type { D3ValidationIssue } from '../errors.js';
import { prepareSaveArtifacts, type SaveArtifactsInput } from './save-artifacts.js';

function prepare(input: SaveArtifactsInput) {
  const issues: D3ValidationIssue[] = [];
  return { prepared: prepareSaveArtifacts(input, issues), issues };
}

const SHA256 = '2afa7715181f03b6fe5acd7c82b8e818303a5de567af1a83d8c283010af2db44';

describe('prepareSaveArtifacts', () => {
  it('turns bare indicator values into composite fields and keeps field objects', () => {
    const { prepared, issues } = prepare({
      incidentNumber: '20220114-11',
      artifacts: ['66.249.64.167', SHA256, { url: 'http://example.com', Reputation: 'Low' }],
    });
    expect(issues).toEqual([]);
    expect(prepared?.params).toEqual({
      'Artifact Type': null,
      'Artifact Fields': [
        { External_IPAddress: '66.249.64.167' },
        { SHA256 },
        { URL: 'http://example.com', Reputation: 'Low' },
      ],
      'Incident Number': '20220114-11',
    });
  });

  it('reports, per artifact, the input, the detected type and the identity field', () => {
    const input = { url: 'http://example.com', Reputation: 'Low' };
    const { prepared } = prepare({
      incidentNumber: '20220114-11',
      artifacts: ['66.249.64.167', input],
    });
    expect(prepared?.artifacts).toEqual([
      {
        input: '66.249.64.167',
        type: 'ExternalEndpoint',
        identity: { field: 'External_IPAddress', value: '66.249.64.167' },
        fields: { External_IPAddress: '66.249.64.167' },
      },
      {
        input,
        type: 'URL',
        identity: { field: 'URL', value: 'http://example.com' },
        fields: { URL: 'http://example.com', Reputation: 'Low' },
      },
    ]);
  });

  it('sends every value as a string, as the contract types them', () => {
    const { prepared } = prepare({
      incidentNumber: 'X-1',
      artifacts: [
        { ProcessGuid: '1589170327575', ProcessID: 21721, ProcessOS: null },
        { Internal_IPAddress: ['192.168.2.112', '10.0.0.1'] },
        { Identity: 'custom', Additional: { Count: 3, Flag: true, Empty: null } },
      ],
    });
    expect(prepared?.params['Artifact Fields']).toEqual([
      { ProcessGuid: '1589170327575', ProcessID: '21721' },
      { Internal_IPAddress: '192.168.2.112, 10.0.0.1' },
      { Identity: 'custom', Additional: { Count: '3', Flag: 'true' } },
    ]);
  });

  it('lists every bad artifact by its position, including unrecognisable values', () => {
    const { prepared, issues } = prepare({
      incidentNumber: ' ',
      artifacts: [
        { URL: 'http://example.com' },
        'not an indicator at all !!',
        { SHA256: 'abc' },
        { URL: 'http://a.example', UserName: 'bob' },
      ],
    });
    expect(prepared).toBeUndefined();
    expect(issues.map((issue) => issue.path)).toEqual([
      'incidentNumber',
      'artifacts.1',
      'artifacts.2',
      'artifacts.3',
    ]);
    expect(issues[2]?.message).toMatch(/SHA256/);
    expect(issues[3]?.message).toMatch(/URL|User/);
  });

  it('reports an unrecognisable value once, and a null artifact by its position', () => {
    const { issues } = prepare({
      incidentNumber: 'X-1',
      artifacts: ['not an indicator at all !!', null as never, '66.249.64.167'],
    });
    expect(issues.map((issue) => issue.path)).toEqual(['artifacts.0', 'artifacts.1']);
  });

  it('checks every artifact against an explicit Artifact Type', () => {
    const { issues } = prepare({
      incidentNumber: 'X-1',
      artifactType: 'URL',
      artifacts: [{ URL: 'http://example.com' }, { UserName: 'bob' }],
    });
    expect(issues.map((issue) => issue.path)).toEqual(['artifacts.1']);
  });

  it('rejects an empty artifact list', () => {
    expect(prepare({ incidentNumber: 'X-1', artifacts: [] }).issues[0]?.path).toBe('artifacts');
  });
});
