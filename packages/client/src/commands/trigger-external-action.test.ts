import { searchConditions } from '@d3soar/domain/query';
import { describe, expect, it } from 'vitest';
import type { D3ValidationIssue } from '../errors.js';
import {
  prepareTrigger,
  type TriggerIncidentExternalActionInput,
} from './trigger-external-action.js';

function prepare(input: TriggerIncidentExternalActionInput) {
  const issues: D3ValidationIssue[] = [];
  return { prepared: prepareTrigger(input, issues), issues };
}

describe('prepareTrigger', () => {
  it('takes conditions from a builder, exactly as its toJSON gives them', () => {
    const where = searchConditions()
      .where('Severity')
      .in(['Critical', 'High'])
      .where('CreatedUtcTime')
      .after(new Date(Date.UTC(2023, 8, 1)));
    const { prepared, issues } = prepare({ where, triggerData: { CustomKey1: 'v' } });
    expect(issues).toEqual([]);
    expect(prepared?.params).toEqual({
      'Search Conditions': where.toJSON(),
      'Trigger Data': { CustomKey1: 'v' },
    });
  });

  it('accepts plain conditions and their JSON text', () => {
    const where = { Number: '20230413-123', Title: { $regex: '^Incident' } };
    expect(prepare({ where, triggerData: {} }).prepared?.params['Search Conditions']).toEqual(
      where,
    );
    expect(
      prepare({ where: JSON.stringify(where), triggerData: {} }).prepared?.params[
        'Search Conditions'
      ],
    ).toEqual(where);
  });

  it('reports a malformed date by its path, together with bad trigger data', () => {
    const { prepared, issues } = prepare({
      where: { CreatedUtcTime: { $gt: { $date: '2023-09-01 00:00' } } },
      triggerData: ['not', 'an', 'object'] as never,
    });
    expect(prepared).toBeUndefined();
    expect(issues.map((issue) => issue.path)).toEqual([
      'where.CreatedUtcTime.$gt.$date',
      'triggerData',
    ]);
  });

  it('rejects an empty builder, since D3 requires at least one condition', () => {
    const { issues } = prepare({ where: searchConditions(), triggerData: {} });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('where');
  });
});
