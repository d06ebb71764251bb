import { describe, expect, it } from 'vitest';
import type { EsNode } from '../../../src/backends/elastic/tree.js';
import { renderEql } from '../../../src/backends/eql/render.js';
import { eqlDuration, eqlField, eqlLiteral, eqlString } from '../../../src/backends/eql/syntax.js';

describe('EQL tokens', () => {
  it('leaves plain dotted field names alone and backticks the parts that are not identifiers', () => {
    expect(eqlField('output_fields.proc.cmdline.keyword')).toBe('output_fields.proc.cmdline.keyword');
    expect(eqlField('@timestamp')).toBe('@timestamp');
    expect(eqlField('process.na@me')).toBe('process.`na@me`'); // `@` only starts an identifier
    expect(eqlField('output_fields.proc.aname[2].keyword')).toBe('output_fields.proc.`aname[2]`.keyword');
    expect(eqlField('output_fields.ka.uri.param[command]')).toBe('output_fields.ka.uri.`param[command]`');
    expect(eqlField('labels.my-field')).toBe('labels.`my-field`');
    expect(eqlField('a.6field')).toBe('a.`6field`');
    expect(eqlField('odd.we`ird')).toBe('odd.`we``ird`');
    // EQL keywords as field name parts
    expect(eqlField('event.sequence')).toBe('event.`sequence`');
    expect(eqlField('x.by.where')).toBe('x.`by`.`where`');
  });

  it('writes strings with EQL escapes', () => {
    expect(eqlString('plain')).toBe('"plain"');
    expect(eqlString('say "hi"')).toBe('"say \\"hi\\""');
    expect(eqlString('C:\\Windows')).toBe('"C:\\\\Windows"');
    expect(eqlString('a\nb\rc\td')).toBe('"a\\nb\\rc\\td"');
    expect(eqlString('nul\u0000 esc\u001b del\u007f ls\u2028')).toBe('"nul\\u{00} esc\\u{1b} del\\u{7f} ls\\u{2028}"');
    expect(eqlString('wildcards * ? stay')).toBe('"wildcards * ? stay"');
    expect(eqlString('ünïcödé ✓ 𝄞')).toBe('"ünïcödé ✓ 𝄞"');
    expect(eqlString("it's")).toBe('"it\'s"');
  });

  it('writes literals and durations', () => {
    expect(eqlLiteral(42)).toBe('42');
    expect(eqlLiteral(-1.5)).toBe('-1.5');
    expect(eqlLiteral(true)).toBe('true');
    expect(eqlLiteral('x')).toBe('"x"');
    expect(eqlDuration(45)).toBe('45s');
    expect(eqlDuration(90)).toBe('90s');
    expect(eqlDuration(300)).toBe('5m');
    expect(eqlDuration(7200)).toBe('2h');
    expect(eqlDuration(5400)).toBe('90m');
    expect(eqlDuration(172800)).toBe('2d');
  });
});

describe('renderEql', () => {
  const f = 'output_fields.proc.cmdline.keyword';

  it('writes exact values, lists, existence and ranges', () => {
    expect(renderEql({ kind: 'all' })).toBe('true');
    expect(renderEql({ kind: 'none' })).toBe('false');
    expect(renderEql({ kind: 'term', field: 'rule.keyword', value: 'Terminal shell in container' })).toBe(
      'rule.keyword == "Terminal shell in container"',
    );
    expect(renderEql({ kind: 'term', field: 'output_fields.proc.tty', value: 0 })).toBe('output_fields.proc.tty == 0');
    expect(renderEql({ kind: 'term', field: 'output_fields.container.privileged', value: true })).toBe(
      'output_fields.container.privileged == true',
    );
    expect(renderEql({ kind: 'terms', field: 'x.keyword', values: ['a', 'b"c'] })).toBe('x.keyword in ("a", "b\\"c")');
    expect(renderEql({ kind: 'exists', field: 'output_fields.fd.name' })).toBe('output_fields.fd.name != null');
    expect(renderEql({ kind: 'range', field: 'n', gte: 1, lt: 10 })).toBe('(n >= 1 and n < 10)');
    expect(renderEql({ kind: 'range', field: 'n', gt: 5 })).toBe('n > 5');
  });

  it('writes prefix, contains and suffix patterns with the string functions', () => {
    expect(renderEql({ kind: 'prefix', field: f, value: 'kubectl *' })).toBe(`startsWith(${f}, "kubectl *")`);
    expect(renderEql({ kind: 'wildcard', field: f, parts: [{ any: true }, { literal: 'get secrets' }, { any: true }] })).toBe(
      `stringContains(${f}, "get secrets")`,
    );
    expect(renderEql({ kind: 'wildcard', field: f, parts: [{ any: true }, { literal: '.sh' }] })).toBe(`endsWith(${f}, ".sh")`);
  });

  it('writes patterns whose text holds wildcard characters as an escaped regular expression', () => {
    // stringContains/endsWith become wildcard queries built from the raw text in Elasticsearch
    expect(renderEql({ kind: 'wildcard', field: f, parts: [{ any: true }, { literal: 'a*b?c\\' }, { any: true }] })).toBe(
      `${f} regex ".*a\\\\*b\\\\?c\\\\\\\\.*"`,
    );
    expect(renderEql({ kind: 'wildcard', field: f, parts: [{ literal: 'a' }, { any: true }, { literal: 'b' }] })).toBe(`${f} regex "a.*b"`);
  });

  it('writes regular expressions and case-insensitive forms', () => {
    expect(renderEql({ kind: 'regexp', field: f, regex: '.*nc[ ]+\\-e.*' })).toBe(`${f} regex ".*nc[ ]+\\\\-e.*"`);
    expect(renderEql({ kind: 'nocase', field: f, regex: '[Bb][Aa][Ss][Hh]', native: { op: 'term', value: 'bash' } })).toBe(`${f} : "bash"`);
    expect(renderEql({ kind: 'nocase', field: f, regex: '[Bb].*', native: { op: 'prefix', value: 'b' } })).toBe(`startsWith~(${f}, "b")`);
    // `:` would read `*` as a wildcard: the exact regular expression instead
    expect(renderEql({ kind: 'nocase', field: f, regex: 'a\\*', native: { op: 'term', value: 'a*' } })).toBe(`${f} regex "a\\\\*"`);
    expect(renderEql({ kind: 'nocase', field: f, regex: '[kK\u212a]' })).toBe(`${f} regex "[kK\u212a]"`);
  });

  it('parenthesises and/or nested in each other, and every negation', () => {
    const a: EsNode = { kind: 'term', field: 'a', value: 1 };
    const b: EsNode = { kind: 'term', field: 'b', value: 2 };
    const c: EsNode = { kind: 'term', field: 'c', value: 3 };
    expect(renderEql({ kind: 'and', args: [a, { kind: 'or', args: [b, c] }] })).toBe('a == 1 and (b == 2 or c == 3)');
    expect(renderEql({ kind: 'or', args: [a, { kind: 'and', args: [b, c] }] })).toBe('a == 1 or (b == 2 and c == 3)');
    expect(renderEql({ kind: 'not', arg: { kind: 'or', args: [a, b] } })).toBe('not (a == 1 or b == 2)');
    expect(renderEql({ kind: 'and', args: [{ kind: 'exists', field: 'a' }, { kind: 'not', arg: a }] })).toBe('a != null and not (a == 1)');
  });
});
