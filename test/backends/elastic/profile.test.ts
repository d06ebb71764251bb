/**
 * src/backends/elastic/profile.ts: how each mapping type of a profile is matched exactly, and
 * what that means for the translation (keyword limits, wildcard fields) and for the fields that
 * group events (EQL keys, thresholds, suppression).
 */
import { describe, expect, it } from 'vitest';
import { indexedField, KEYWORD_FIELD_IGNORE_ABOVE, KEYWORD_SUBFIELD_IGNORE_ABOVE, profileFieldTypes } from '../../../src/backends/elastic/profile.js';
import { dslQuery, luceneQuery } from '../../../src/backends/elastic/query.js';
import { exactField } from '../../../src/backends/eql/fields.js';
import type { Condition } from '../../../src/ir/types.js';
import type { ElasticProfile } from '../../../src/source/types.js';
import { cmp, exists, field, isIn, source } from '../../engine/battery.js';

/** A profile with one field of each mapping type (paths as the Elastic Agent integration's). */
const profile: ElasticProfile = {
  name: 'typed',
  description: 'one field per mapping type',
  index: ['logs-*'],
  timestampField: '@timestamp',
  fields: {
    'proc.cmdline': { path: 'process.command_line', type: 'wildcard' },
    'proc.name': { path: 'process.name', type: 'keyword' },
    'proc.pname': { path: 'falco.proc.pname', type: 'text', keyword: 'keyword' },
    'fd.name': { path: 'falco.fd.name', type: 'text' },
    'proc.pid': { path: 'process.pid', type: 'long' },
  },
};

function dsl(c: Condition): unknown {
  const r = dslQuery(c, profile, source, { detection: 'd' });
  expect(r.diagnostics).toEqual([]);
  return r.query;
}

function refusal(c: Condition): string {
  const r = dslQuery(c, profile, source, { detection: 'd' });
  expect(r.query).toBeUndefined();
  expect(r.diagnostics.map((d) => d.code)).toEqual(['DET5001']);
  return r.diagnostics[0]!.message;
}

describe('indexedField', () => {
  it('matches a keyword or wildcard field on its own path, a text field on its keyword sub-field', () => {
    expect(indexedField(profile, 'proc.name')).toMatchObject({ exact: 'process.name', exactLimit: KEYWORD_FIELD_IGNORE_ABOVE });
    expect(indexedField(profile, 'proc.pname')).toMatchObject({ exact: 'falco.proc.pname.keyword', exactLimit: KEYWORD_SUBFIELD_IGNORE_ABOVE });
    const wildcard = indexedField(profile, 'proc.cmdline')!;
    expect(wildcard.exact).toBe('process.command_line');
    expect(wildcard.exactLimit).toBeUndefined(); // no ignore_above
    expect(indexedField(profile, 'fd.name')!.exact).toBeUndefined();
    expect(indexedField(profile, 'evt.type')).toBeUndefined();
  });

  it('profileFieldTypes lists a wildcard field as wildcard, with no keyword sub-field', () => {
    expect(profileFieldTypes(profile)).toEqual([
      ['falco.fd.name', 'text'],
      ['falco.proc.pname', 'text'],
      ['falco.proc.pname.keyword', 'keyword'],
      ['process.command_line', 'wildcard'],
      ['process.name', 'keyword'],
      ['process.pid', 'long'],
    ]);
  });
});

describe('a wildcard field in the translation', () => {
  it('takes term, terms, prefix, wildcard, regexp and case_insensitive queries like a keyword field', () => {
    const f = 'process.command_line';
    expect(dsl(cmp('eq', 'proc.cmdline', 'nc -e'))).toEqual({ bool: { filter: [{ term: { [f]: { value: 'nc -e' } } }] } });
    expect(dsl(isIn('proc.cmdline', ['a', 'b']))).toEqual({ bool: { filter: [{ terms: { [f]: ['a', 'b'] } }] } });
    expect(dsl(cmp('startswith', 'proc.cmdline', 'curl '))).toEqual({ bool: { filter: [{ prefix: { [f]: { value: 'curl ' } } }] } });
    expect(dsl(cmp('contains', 'proc.cmdline', '-e'))).toEqual({ bool: { filter: [{ wildcard: { [f]: { value: '*-e*' } } }] } });
    expect(dsl(cmp('regex', 'proc.cmdline', '^nc$'))).toEqual({ bool: { filter: [{ regexp: { [f]: { value: 'nc' } } }] } });
    expect(dsl(cmp('eq', 'proc.cmdline', 'NC', false))).toEqual({ bool: { filter: [{ term: { [f]: { value: 'NC', case_insensitive: true } } }] } });
    expect(dsl(exists('proc.cmdline'))).toEqual({ bool: { filter: [{ exists: { field: f } }], must_not: [{ term: { [f]: { value: '' } } }] } });
    expect(luceneQuery(cmp('eq', 'proc.cmdline', 'nc -e'), profile, source, { detection: 'd' }).query).toBe('process.command_line:"nc -e"');
  });

  it('has no ignore_above: a 2,000-character value compiles there, and is refused on a keyword field (1,024)', () => {
    const long = 'x'.repeat(2000);
    expect(dsl(cmp('eq', 'proc.cmdline', long))).toEqual({ bool: { filter: [{ term: { 'process.command_line': { value: long } } }] } });
    expect(dsl(cmp('contains', 'proc.cmdline', long))).toEqual({ bool: { filter: [{ wildcard: { 'process.command_line': { value: `*${long}*` } } }] } });
    expect(refusal(cmp('eq', 'proc.name', long))).toMatch(/longer than 1024 characters, the `ignore_above` of `process.name`/);
    expect(dsl(cmp('eq', 'proc.name', 'x'.repeat(1024)))).toBeDefined();
  });

  it('groups events: a wildcard field is an exact field for EQL keys, thresholds and suppression', () => {
    expect(exactField(field('proc.cmdline'), profile, source)).toEqual({ field: { path: 'process.command_line', nonEmptyOnly: false } });
    expect(exactField(field('fd.name'), profile, source)).toEqual({
      reason: "field 'fd.name' is indexed as analysed text ('falco.fd.name') without a keyword sub-field, so it cannot group or join events",
    });
  });
});
