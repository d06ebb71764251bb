import { describe, expect, it } from 'vitest';
import { ALL, and, NONE, nodeKey, not, or, termsOf, type EsNode } from '../../../src/backends/elastic/tree.js';

const exists: EsNode = { kind: 'exists', field: 'output_fields.container.id' };
const host: EsNode = { kind: 'term', field: 'output_fields.container.id.keyword', value: 'host' };
const empty: EsNode = { kind: 'term', field: 'output_fields.container.id.keyword', value: '' };
const range: EsNode = { kind: 'range', field: 'output_fields.user.uid', gte: 5 };

describe('and', () => {
  it('flattens, drops all, lets none absorb', () => {
    expect(and(exists, ALL, and(range, not(host)))).toEqual({ kind: 'and', args: [exists, range, not(host)] });
    expect(and(exists, NONE)).toBe(NONE);
    expect(and(ALL)).toBe(ALL);
  });

  it('keeps a query it already holds once (`x exists and x != "host"` guards with the same exists)', () => {
    const ne = and(exists, not(empty), not(host));
    // built apart, equal in value, not the same objects
    const again: EsNode = { kind: 'exists', field: 'output_fields.container.id' };
    expect(and(again, ne)).toEqual({ kind: 'and', args: [again, not(empty), not(host)] });
    expect(and(ne, ne)).toEqual(ne);
    expect(and(exists, { kind: 'exists', field: 'output_fields.container.name' })).toEqual({
      kind: 'and',
      args: [exists, { kind: 'exists', field: 'output_fields.container.name' }],
    });
  });
});

describe('or', () => {
  it('keeps a query once and merges exact values of one field', () => {
    expect(or(range, or(host, range), empty)).toEqual({
      kind: 'or',
      args: [range, { kind: 'terms', field: 'output_fields.container.id.keyword', values: ['host', ''] }],
    });
    expect(or(not(host), not(host))).toEqual(not(host));
  });

  it('drops repeats among 5,000 operands (by key, not by comparing each pair)', () => {
    const many: EsNode[] = Array.from({ length: 5000 }, (_, i) => ({ kind: 'wildcard', field: 'f', parts: [{ any: true }, { literal: `v${i % 2500}` }, { any: true }] }));
    const r = or(...many);
    expect(r.kind === 'or' && r.args.length).toBe(2500);
  });
});

const sameNode = (a: EsNode, b: EsNode): boolean => nodeKey(a) === nodeKey(b);

describe('nodeKey', () => {
  it('is equal for the same kinds, fields, values and argument order only', () => {
    expect(sameNode(range, { kind: 'range', field: 'output_fields.user.uid', gte: 5 })).toBe(true);
    expect(sameNode(range, { kind: 'range', field: 'output_fields.user.uid', gt: 5 })).toBe(false);
    expect(sameNode(range, { kind: 'range', field: 'output_fields.user.uid', gte: '5' })).toBe(false);
    expect(sameNode({ kind: 'and', args: [exists, host] }, { kind: 'and', args: [exists, host] })).toBe(true);
    expect(sameNode({ kind: 'and', args: [exists, host] }, { kind: 'and', args: [host, exists] })).toBe(false);
    expect(sameNode({ kind: 'terms', field: 'f', values: ['a'] }, { kind: 'terms', field: 'f', values: ['a', 'b'] })).toBe(false);
    expect(sameNode({ kind: 'wildcard', field: 'f', parts: [{ any: true }] }, { kind: 'wildcard', field: 'f', parts: [{ literal: '*' }] })).toBe(false);
  });
});

describe('termsOf', () => {
  it('keeps the first of equal values, in order: none, one term, or terms', () => {
    expect(termsOf('f', [])).toBe(NONE);
    expect(termsOf('f', ['a', 'a'])).toEqual({ kind: 'term', field: 'f', value: 'a' });
    expect(termsOf('f', ['b', 'a', 'b', 1, '1', 1, true, 'true', true])).toEqual({ kind: 'terms', field: 'f', values: ['b', 'a', 1, '1', true, 'true'] });
    // a list of 100,000 values: deduplicated in linear time (this took seconds, quadratically)
    const many = Array.from({ length: 100_000 }, (_, i) => `v${i % 50_000}`);
    const node = termsOf('f', many);
    expect(node.kind === 'terms' && node.values.length).toBe(50_000);
  });
});
