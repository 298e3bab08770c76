import { D3AuthError, D3ServerError, D3ValidationError } from '@d3soar/client';
import { describe, expect, it } from 'vitest';
import { describeError, exitCodes } from './errors.js';

describe('describeError', () => {
  it.each([401, 403])('names the status D3 answered for a rejected credential (%i)', (status) => {
    // The parts as the client builds them for a 401 or 403.
    const error = new D3AuthError(`SetEventTechniques: D3 refused the credentials (${status}).`, {
      command: 'SetEventTechniques',
      status,
      attempts: 1,
      outcome: 'rejected',
      reason: `D3 refused the credentials (${status})`,
    });
    const report = describeError(error);
    expect(report.exitCode).toBe(exitCodes.failed);
    expect(report.message).toContain(`SetEventTechniques: D3 refused the credentials (${status})`);
    expect(report.message.split(`(${status})`)).toHaveLength(2);
    expect(report.message).toContain('check the API key');
  });

  it('names no status when no credential could be obtained and nothing was sent', () => {
    const error = new D3AuthError('SetEventTechniques: auth.token() threw VaultError', {
      command: 'SetEventTechniques',
      attempts: 0,
      outcome: 'not_sent',
    });
    const report = describeError(error);
    expect(report.message).toMatch(/^SetEventTechniques: auth.token\(\) threw VaultError/);
    expect(report.message).not.toMatch(/\(\d{3}\)/);
  });

  it("keeps the client's own word on an unknown outcome, said once", () => {
    const error = new D3ServerError(
      'TriggerIncidentExternalAction: 502 Bad Gateway. The outcome is unknown: playbooks may have run, so it was not re-sent; check the incident before retrying.',
      { command: 'TriggerIncidentExternalAction', status: 502, attempts: 1, outcome: 'unknown' },
    );
    const report = describeError(error);
    expect(report.message.match(/outcome is unknown/gi)).toHaveLength(1);
  });

  it('reports every validation issue on one line, with its path, as bad input', () => {
    const error = new D3ValidationError('SetEventTechniques', [
      {
        path: 'techniques.0',
        message: 'No technique matches "Powershel"',
        suggestions: ['T1059.001'],
      },
      { path: 'eventIds.1', message: 'must be a positive integer, got -1' },
    ]);
    const report = describeError(error);
    expect(report.exitCode).toBe(exitCodes.usage);
    expect(report.message.split('\n')).toHaveLength(1);
    for (const issue of error.issues) {
      expect(report.message).toContain(`${issue.path}: ${issue.message}`);
    }
    expect(report.message).toContain('T1059.001');
  });
});
