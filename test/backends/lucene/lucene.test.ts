/**
 * The lucene target: escaping of values and field names, grouping and negation in the classic
 * query parser's syntax, file layout per match kind, and DET5001 refusals. The engine tests
 * (test/engine) parse and run these strings with Lucene's own query parser.
 */
import { describe, expect, it } from 'vitest';
import { dslQuery, luceneQuery } from '../../../src/backends/elastic/query.js';
import { escapeTerm, quote } from '../../../src/backends/elastic/render-lucene.js';
import { luceneBackend } from '../../../src/backends/lucene/index.js';
import type { Condition } from '../../../src/ir/types.js';
import { and, cmp, exists, isIn, not, or, source } from '../../engine/battery.js';
import { detection, lower } from '../../helpers/det.js';
import { emitFiles } from '../../../src/backends/types.js';

const sidekick = source.elastic.profiles['falcosidekick']!;
const agent = source.elastic.profiles['elastic-agent']!;
const KW = 'output_fields.proc.cmdline.keyword';

function q(c: Condition, profile = sidekick): string {
  const r = luceneQuery(c, profile, source, { detection: 'd' });
  expect(r.diagnostics).toEqual([]);
  return r.query!;
}

describe('escaping', () => {
  it('escapes every reserved character and whitespace in terms and field names', () => {
    expect(escapeTerm('+-=&|><!(){}[]^"~*?:\\/')).toBe('\\+\\-\\=\\&\\|\\>\\<\\!\\(\\)\\{\\}\\[\\]\\^\\"\\~\\*\\?\\:\\\\\\/');
    expect(escapeTerm('a b\tc\nd\u3000e')).toBe('a\\ b\\\tc\\\nd\\\u3000e');
    expect(escapeTerm('proc.aname[2]')).toBe('proc.aname\\[2\\]');
    expect(escapeTerm('AND')).toBe('\\AND');
    expect(escapeTerm('émoji 😀')).toBe('émoji\\ 😀');
  });

  it('quotes exact values, escaping only " and \\ inside', () => {
    expect(quote('a "b" \\ c * ? : > <')).toBe('"a \\"b\\" \\\\ c * ? : > <"');
  });

  it('writes exact values quoted, so a leading < or > is not read as a range', () => {
    expect(q(cmp('eq', 'proc.cmdline', '>5'))).toBe(`${KW}:">5"`);
  });

  it('writes the empty string as an empty regular expression (an empty phrase has no term)', () => {
    expect(q(cmp('eq', 'proc.cmdline', ''))).toBe(`${KW}://`);
  });

  it('escapes wildcard and prefix terms so only the intended * are wildcards', () => {
    expect(q(cmp('contains', 'proc.cmdline', 'a*b c'))).toBe(`${KW}:*a\\*b\\ c*`);
    expect(q(cmp('startswith', 'proc.cmdline', '/bin/sh -c'))).toBe(`${KW}:\\/bin\\/sh\\ \\-c*`);
  });

  it('keeps a regex ending in an escaped backslash from swallowing the closing slash', () => {
    expect(q(cmp('endswith', 'proc.cmdline', 'x\\', false))).toBe(`${KW}:/.*[Xx]\\\\()/`);
  });
});

describe('grouping and negation', () => {
  it('parenthesises groups and never mixes AND with OR in one group', () => {
    expect(q(or(and(cmp('eq', 'proc.name', 'a'), cmp('eq', 'proc.pid', 1)), cmp('eq', 'proc.name', 'b')))).toBe(
      '(output_fields.proc.name.keyword:"a" AND output_fields.proc.pid:1) OR output_fields.proc.name.keyword:"b"',
    );
  });

  it('puts a negation next to a positive clause, or next to *:* when alone', () => {
    expect(q(not(cmp('eq', 'proc.cmdline', 'x')))).toBe(`*:* AND NOT ${KW}:"x"`);
    expect(q(and(not(cmp('eq', 'proc.name', 'a')), not(cmp('eq', 'proc.name', 'b'))))).toBe(
      '*:* AND NOT output_fields.proc.name.keyword:"a" AND NOT output_fields.proc.name.keyword:"b"',
    );
    expect(q(or(cmp('eq', 'proc.pid', 1), not(exists('proc.pid'))))).toBe('output_fields.proc.pid:1 OR (*:* AND NOT _exists_:output_fields.proc.pid)');
  });

  it('`!=`: the field exists and is not the value', () => {
    expect(q(cmp('ne', 'proc.cmdline', 'x'))).toBe(`_exists_:output_fields.proc.cmdline AND NOT ${KW}:"x"`);
  });

  it('lists, numbers, ranges, booleans', () => {
    expect(q(isIn('proc.name', ['nc', 'ncat']))).toBe('output_fields.proc.name.keyword:("nc" OR "ncat")');
    expect(q(isIn('proc.name', ['', 'nc']))).toBe('output_fields.proc.name.keyword:// OR output_fields.proc.name.keyword:"nc"');
    expect(q(cmp('eq', 'proc.pid', -5))).toBe('output_fields.proc.pid:\\-5');
    expect(q(cmp('lt', 'proc.pid', 10))).toBe('output_fields.proc.pid:[* TO "10"}');
    expect(q(cmp('ge', 'time', '2024-05-01T12:00:00Z'))).toBe('time:["2024-05-01T12:00:00.000Z" TO *]');
    expect(q(cmp('eq', 'container.privileged', false), agent)).toBe('container.security_context.privileged:false');
  });

  it('elastic-agent: ECS keyword and wildcard fields are queried on their own path', () => {
    expect(q(isIn('proc.name', ['nc', 'ncat']), agent)).toBe('process.name:("nc" OR "ncat")');
    expect(q(cmp('contains', 'proc.cmdline', ' -e '), agent)).toBe('process.command_line:*\\ \\-e\\ *');
    expect(q(cmp('eq', 'user.uid', 0), agent)).toBe('process.user.id:"0"');
    expect(q(cmp('gt', 'fd.sport', 1023), agent)).toBe('server.port:{"1023" TO *]');
  });

  it('case-insensitive comparisons become exact regular expressions', () => {
    expect(q(cmp('contains', 'proc.cmdline', 'Get Secrets', false))).toBe(`${KW}:/.*[Gg][Ee][Tt]\\ [Ss][Ee][Cc][Rr][Ee][Tt][Ss].*/`);
  });
});

describe('lucene refusals', () => {
  it('a regular expression over Elasticsearch\'s default index.max_regex_length (DET5003); the DSL uses case_insensitive there', () => {
    const c = cmp('contains', 'proc.cmdline', 'abcd'.repeat(63), false);
    const r = luceneQuery(c, sidekick, source, { detection: 'det_y' });
    expect(r.query).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DET5003']);
    expect(r.diagnostics[0]!.message).toMatch(/over Elasticsearch's default index.max_regex_length of 1000/);
    expect(dslQuery(c, sidekick, source, { detection: 'det_y' }).diagnostics).toEqual([]);
    expect(dslQuery(cmp('regex', 'proc.cmdline', 'a.'.repeat(150)), sidekick, source, { detection: 'det_y' }).diagnostics.map((d) => d.code)).toEqual(['DET5003']);
  });

  it('contains / startswith / endswith a value longer than ignore_above: no indexed value can hold it (DET5001)', () => {
    for (const op of ['contains', 'startswith', 'endswith'] as const) {
      const long = cmp(op, 'proc.cmdline', 'x'.repeat(257));
      for (const q of [luceneQuery(long, sidekick, source, { detection: 'det_y' }), dslQuery(long, sidekick, source, { detection: 'det_y' })]) {
        expect(q.query).toBeUndefined();
        expect(q.diagnostics.map((d) => d.code)).toEqual(['DET5001']);
        expect(q.diagnostics[0]!.message).toMatch(/longer than 256 characters, the `ignore_above`/);
      }
      expect(luceneQuery(cmp(op, 'proc.cmdline', 'x'.repeat(256)), sidekick, source, { detection: 'det_y' }).diagnostics).toEqual([]);
    }
  });

  it('says which detection, which target and why', () => {
    const r = luceneQuery(cmp('contains', 'fd.name', 'x'), agent, source, { detection: 'det_y' });
    expect(r.query).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'DET5001', severity: 'error' });
    expect(r.diagnostics[0]!.message).toMatch(/^target lucene cannot express `fd.name contains "x"` exactly \(detection 'det_y', Elastic profile 'elastic-agent'\): /);
  });
});

const SEQ = detection(
  'seq_x',
  ['  sequence by container.id within 10m {', '    step recon: proc.cmdline contains "whoami"', '    step fetch: proc.cmdline regex "curl.*sh"', '  }'].join('\n'),
);
const SEQ_OK = detection(
  'seq_ok',
  ['  sequence within 10m {', '    step a: proc.name == "whoami"', '    step b: proc.cmdline startswith "curl"', '  }'].join('\n'),
  '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f',
);

describe('lucene backend', () => {
  const { program } = lower({ 'a.det': SEQ, 'b.det': SEQ_OK }, { source });

  it('writes a sequence as one line per step; refuses a step whose query holds a line break', () => {
    const out = emitFiles(luceneBackend, program, source, {});
    expect(out.files).toEqual([
      { path: 'elastic/lucene/seq_ok.lucene', content: `output_fields.proc.name.keyword:"whoami"\n${KW}:curl*\n` },
    ]);
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0]).toMatchObject({ code: 'DET5001' });
    expect(out.diagnostics[0]!.message).toContain("step 'fetch' of sequence 'seq_x'");
  });
});
