/**
 * The esdsl target: file layout per match kind, the query DSL shapes of each operator (missing
 * fields, negation, case-insensitivity, aliases), DET5001 refusals, and determinism. The
 * engine tests (test/engine) execute these queries in Lucene against the evaluator.
 */
import { describe, expect, it } from 'vitest';
import { dslQuery } from '../../../src/backends/elastic/query.js';
import { esdslBackend } from '../../../src/backends/esdsl/index.js';
import type { Condition } from '../../../src/ir/types.js';
import { and, cmp, exists, isIn, not, or, source } from '../../engine/battery.js';
import { detection, lower } from '../../helpers/det.js';
import { emitFiles } from '../../../src/backends/types.js';

const sidekick = source.elastic.profiles['falcosidekick']!;
const agent = source.elastic.profiles['elastic-agent']!;

function q(c: Condition, profile = sidekick): unknown {
  const r = dslQuery(c, profile, source, { detection: 'd' });
  expect(r.diagnostics).toEqual([]);
  return r.query;
}

function refusal(c: Condition, profile = sidekick): string {
  const r = dslQuery(c, profile, source, { detection: 'det_x' });
  expect(r.query).toBeUndefined();
  expect(r.diagnostics).toHaveLength(1);
  const d = r.diagnostics[0]!;
  expect(d.code).toBe('DET5001');
  expect(d.severity).toBe('error');
  expect(d.hint).toBeTruthy();
  expect(d.message).toContain("detection 'det_x'");
  expect(d.message).toContain('target esdsl');
  return d.message;
}

const KW = 'output_fields.proc.cmdline.keyword';

describe('esdsl query shapes', () => {
  it('puts top-level conjuncts in filter context and negated ones in must_not', () => {
    expect(q(and(cmp('eq', 'proc.name', 'nc'), not(cmp('contains', 'proc.cmdline', '-e'))))).toEqual({
      bool: {
        filter: [{ term: { 'output_fields.proc.name.keyword': { value: 'nc' } } }],
        must_not: [{ wildcard: { [KW]: { value: '*-e*' } } }],
      },
    });
  });

  it('`!=` is false on a missing field: exists on the text field, must_not the term', () => {
    expect(q(cmp('ne', 'proc.cmdline', 'x'))).toEqual({
      bool: { filter: [{ exists: { field: 'output_fields.proc.cmdline' } }], must_not: [{ term: { [KW]: { value: 'x' } } }] },
    });
  });

  it('`exists` leaves out the empty string, like the evaluator', () => {
    expect(q(exists('proc.cmdline'))).toEqual({
      bool: { filter: [{ exists: { field: 'output_fields.proc.cmdline' } }], must_not: [{ term: { [KW]: { value: '' } } }] },
    });
  });

  it('`not` over a comparison matches documents without the field (bool must_not alone)', () => {
    expect(q(not(cmp('eq', 'proc.cmdline', 'x')))).toEqual({ bool: { must_not: [{ term: { [KW]: { value: 'x' } } }] } });
  });

  it('or is a bool should with an explicit minimum_should_match', () => {
    expect(q(or(cmp('startswith', 'proc.cmdline', 'a'), cmp('gt', 'proc.pid', 10)))).toEqual({
      bool: {
        filter: [
          {
            bool: {
              should: [{ prefix: { [KW]: { value: 'a' } } }, { range: { 'output_fields.proc.pid': { gt: 10 } } }],
              minimum_should_match: 1,
            },
          },
        ],
      },
    });
  });

  it('merges exact values on one field into terms', () => {
    expect(q(isIn('proc.name', ['nc', 'ncat', 'nc']))).toEqual({ bool: { filter: [{ terms: { 'output_fields.proc.name.keyword': ['nc', 'ncat'] } }] } });
  });

  it('escapes * ? and \\ in wildcard values', () => {
    expect(q(cmp('endswith', 'proc.cmdline', 'a*b?c\\'))).toEqual({ bool: { filter: [{ wildcard: { [KW]: { value: '*a\\*b\\?c\\\\' } } }] } });
  });

  it('uses case_insensitive where Elasticsearch matches exactly the evaluator (ASCII without k)', () => {
    expect(q(cmp('contains', 'proc.cmdline', 'Get Secrets', false))).toEqual({
      bool: { filter: [{ wildcard: { [KW]: { value: '*Get Secrets*', case_insensitive: true } } }] },
    });
    expect(q(cmp('eq', 'proc.cmdline', 'BASH', false))).toEqual({ bool: { filter: [{ term: { [KW]: { value: 'BASH', case_insensitive: true } } }] } });
    expect(q(cmp('startswith', 'proc.cmdline', 'curl', false))).toEqual({ bool: { filter: [{ prefix: { [KW]: { value: 'curl', case_insensitive: true } } }] } });
  });

  it('uses an exact regexp where case_insensitive would differ (k: KELVIN SIGN; non-ASCII letters)', () => {
    expect(q(cmp('eq', 'proc.cmdline', 'kubectl', false))).toEqual({ bool: { filter: [{ regexp: { [KW]: { value: '[Kk\u212a][Uu][Bb][Ee][Cc][Tt][Ll]' } } }] } });
    expect(q(cmp('contains', 'proc.cmdline', 'é', false))).toEqual({ bool: { filter: [{ regexp: { [KW]: { value: '.*[Éé].*' } } }] } });
  });

  it('translates regexes to Lucene whole-term regexps', () => {
    expect(q(cmp('regex', 'proc.cmdline', '^curl .*\\|\\s*sh$'))).toEqual({
      // `.` leaves out line terminators; \\s is JavaScript's whitespace set; ASCII symbols escaped.
      bool: {
        filter: [
          { regexp: { [KW]: { value: 'curl\\ [^\\\n\\\r\u2028\u2029]*\\|[\\\t-\\\r\\ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*sh' } } },
        ],
      },
    });
  });

  it('expands rule aliases: the old name is the current one', () => {
    const current = 'Kubernetes Client Tool Launched in Container';
    const old = 'The docker client is executed in a container';
    expect(q(cmp('eq', 'rule', current))).toEqual({ bool: { filter: [{ terms: { 'rule.keyword': [current, old] } }] } });
    // An old name is never the current rule name of an event.
    expect(q(cmp('eq', 'rule', old))).toEqual({
      bool: { filter: [{ term: { 'rule.keyword': { value: old } } }], must_not: [{ term: { 'rule.keyword': { value: old } } }] },
    });
    expect(q(cmp('ne', 'rule', current))).toEqual({
      bool: {
        filter: [{ exists: { field: 'rule' } }],
        must_not: [{ term: { 'rule.keyword': { value: current } } }, { term: { 'rule.keyword': { value: old } } }],
      },
    });
    expect(q(cmp('contains', 'rule', 'docker'))).toEqual({
      bool: { filter: [{ wildcard: { 'rule.keyword': { value: '*docker*' } } }], must_not: [{ term: { 'rule.keyword': { value: old } } }] },
    });
  });

  it('numbers: integer rounding of bounds, no match for a fraction on a long field', () => {
    expect(q(cmp('gt', 'proc.pid', 1.5))).toEqual({ bool: { filter: [{ range: { 'output_fields.proc.pid': { gte: 2 } } }] } });
    expect(q(cmp('le', 'proc.pid', -1.5))).toEqual({ bool: { filter: [{ range: { 'output_fields.proc.pid': { lte: -2 } } }] } });
    expect(q(cmp('eq', 'proc.pid', 1.5))).toEqual({ bool: { filter: [{ match_none: {} }] } });
  });

  it('booleans, timestamps and fields of the elastic-agent profile', () => {
    expect(q(cmp('eq', 'container.privileged', true), agent)).toEqual({
      bool: { filter: [{ term: { 'container.security_context.privileged': { value: true } } }] },
    });
    expect(q(cmp('ge', 'time', '2024-05-01T12:00:00.000+02:00'))).toEqual({ bool: { filter: [{ range: { time: { gte: '2024-05-01T10:00:00.000Z' } } }] } });
    expect(q(cmp('eq', 'user.uid', 0), agent)).toEqual({ bool: { filter: [{ term: { 'process.user.id': { value: '0' } } }] } });
    expect(q(cmp('eq', 'rule', 'x'), agent)).toEqual({ bool: { filter: [{ term: { 'rule.name': { value: 'x' } } }] } });
  });

  it('elastic-agent: process fields on their ECS keyword and wildcard fields', () => {
    const term = (path: string, value: string | number): unknown => ({ bool: { filter: [{ term: { [path]: { value } } }] } });
    expect(q(cmp('eq', 'proc.name', 'nc'), agent)).toEqual(term('process.name', 'nc'));
    expect(q(cmp('eq', 'proc.exepath', '/usr/bin/nc'), agent)).toEqual(term('process.executable', '/usr/bin/nc'));
    expect(q(cmp('eq', 'k8s.ns.name', 'kube-system'), agent)).toEqual(term('orchestrator.namespace', 'kube-system'));
    expect(q(cmp('eq', 'k8s.pod.name', 'web-0'), agent)).toEqual(term('orchestrator.resource.name', 'web-0'));
    expect(q(cmp('eq', 'user.name', 'root'), agent)).toEqual(term('process.user.name', 'root'));
    expect(q(cmp('contains', 'proc.cmdline', ' -e '), agent)).toEqual({ bool: { filter: [{ wildcard: { 'process.command_line': { value: '* -e *' } } }] } });
    expect(q(cmp('startswith', 'proc.pcmdline', 'sshd', false), agent)).toEqual({
      bool: { filter: [{ prefix: { 'process.parent.command_line': { value: 'sshd', case_insensitive: true } } }] },
    });
  });

  it('elastic-agent: the fields the integration copies whole into ECS', () => {
    const term = (path: string, value: string | number): unknown => ({ bool: { filter: [{ term: { [path]: { value } } }] } });
    expect(q(cmp('eq', 'proc.sname', 'bash'), agent)).toEqual(term('process.session_leader.name', 'bash'));
    expect(q(cmp('contains', 'thread.cap_effective', 'CAP_SYS_ADMIN'), agent)).toEqual({
      bool: { filter: [{ wildcard: { 'process.thread.capabilities.effective': { value: '*CAP_SYS_ADMIN*' } } }] },
    });
    expect(q(cmp('eq', 'thread.cap_permitted', 'CAP_NET_RAW'), agent)).toEqual(term('process.thread.capabilities.permitted', 'CAP_NET_RAW'));
    expect(q(cmp('eq', 'fd.sport', 443), agent)).toEqual(term('server.port', 443));
    expect(q(cmp('ge', 'fd.sport', 1024), agent)).toEqual({ bool: { filter: [{ range: { 'server.port': { gte: 1024 } } }] } });
    expect(q(cmp('eq', 'fd.cip.name', 'a.example'), agent)).toEqual(term('client.domain', 'a.example'));
    expect(q(cmp('eq', 'fd.sip.name', 'b.example'), agent)).toEqual(term('server.domain', 'b.example'));
    expect(q(cmp('eq', 'fd.lip.name', 'c.example'), agent)).toEqual(term('source.domain', 'c.example'));
    expect(q(cmp('eq', 'fd.rip.name', 'd.example'), agent)).toEqual(term('destination.domain', 'd.example'));
    // user.uid: a number in a keyword field (the pipeline converts it to a string), matched on its decimal text
    expect(q(cmp('eq', 'user.uid', 0), agent)).toEqual(term('process.user.id', '0'));
  });

  it('elastic-agent: a 2,000-character value compiles on a wildcard field, and is refused on a keyword field', () => {
    const long = 'x'.repeat(2000);
    expect(q(cmp('eq', 'proc.cmdline', long), agent)).toEqual({ bool: { filter: [{ term: { 'process.command_line': { value: long } } }] } });
    expect(q(cmp('startswith', 'proc.pcmdline', long), agent)).toEqual({ bool: { filter: [{ prefix: { 'process.parent.command_line': { value: long } } }] } });
    expect(refusal(cmp('eq', 'proc.name', long), agent)).toMatch(/longer than 1024 characters, the `ignore_above` of `process.name`/);
    expect(refusal(cmp('contains', 'proc.cmdline', long))).toMatch(/longer than 256 characters/); // falcosidekick's .keyword
  });
});

describe('esdsl refusals (DET5001: detection, target, reason)', () => {
  it('a field the profile does not index', () => {
    expect(refusal(cmp('eq', 'evt.arg.name', '/x'), agent)).toMatch(/`evt.arg.name` is not indexed in Elastic profile 'elastic-agent'/);
  });

  it('a field indexed as analysed text only', () => {
    expect(refusal(cmp('contains', 'fd.name', 'x'), agent)).toMatch(/`falco.output_fields.fd.name` is indexed as analysed text only/);
    expect(refusal(cmp('eq', 'evt.type', 'execve'), agent)).toMatch(/`falco.output_fields.evt.type` is indexed as analysed text only/);
  });

  it('elastic-agent: a number in a keyword field has no order, and removed, split or ip-converted fields are not indexed', () => {
    expect(refusal(cmp('lt', 'user.uid', 1000), agent)).toMatch(/`process.user.id` holds the number as a keyword, which has no numeric order/);
    for (const name of ['group.gid', 'group.name', 'evt.arg.flags', 'proc.aname[2]', 'proc.aname[7]', 'proc.env', 'fd.sip', 'fd.rip', 'k8s.pod.ip']) {
      expect(refusal(cmp('eq', name, 'x'), agent), name).toContain(`the field \`${name}\` is not indexed in Elastic profile 'elastic-agent'`);
    }
  });

  it('the cluster, recognised by host name pattern as well as by the custom field', () => {
    expect(refusal(cmp('eq', 'cluster', 'prod-eu'))).toMatch(/only the custom field is indexed/);
  });

  it('a nocase value that lower-cases to a combining sequence (U+0130)', () => {
    expect(refusal(cmp('eq', 'proc.cmdline', 'İstanbul', false))).toMatch(/U\+0307/);
  });

  it('regex features Lucene lacks', () => {
    expect(refusal(cmp('regex', 'proc.cmdline', '\\bword'))).toMatch(/word boundaries/);
    expect(refusal(cmp('regex', 'proc.cmdline', 'a^b'))).toMatch(/anchors/);
  });

  it('!= and exists on a list field (an empty list is not indexed)', () => {
    expect(refusal(cmp('ne', 'tags', 'x'))).toMatch(/empty list/);
    expect(refusal(exists('tags'))).toMatch(/empty list/);
  });

  it('timestamps beyond >= and < with whole milliseconds', () => {
    expect(refusal(cmp('gt', 'time', '2024-05-01T12:00:00Z'))).toMatch(/milliseconds/);
    expect(refusal(cmp('ge', 'time', '2024-05-01T12:00:00.0000001Z'))).toMatch(/finer fraction/);
  });

  it('a value longer than the keyword field holds', () => {
    expect(refusal(cmp('eq', 'proc.cmdline', 'x'.repeat(257)))).toMatch(/longer than 256 characters/);
  });

  it('an integer beyond 2^53', () => {
    expect(refusal(cmp('eq', 'proc.pid', 2 ** 60))).toMatch(/2\^53/);
  });

  it('reports each problem once and points at the comparison', () => {
    const leaf = cmp('contains', 'fd.name', 'x');
    const r = dslQuery(or(leaf, and(leaf, cmp('eq', 'proc.name', 'y'))), agent, source, { detection: 'd' });
    expect(r.diagnostics).toHaveLength(1);
    const onLeaf = r.diagnostics.filter((d) => d.message.includes('fd.name'));
    expect(onLeaf).toHaveLength(1);
    expect(onLeaf[0]!.span).toEqual((leaf as { span: unknown }).span);
  });
});

const SEQ = detection(
  'seq_x',
  [
    '  sequence by container.id within 10m {',
    '    step recon: proc.cmdline contains "whoami"',
    '    step fetch: proc.cmdline startswith "curl"',
    '  }',
  ].join('\n'),
);
const THRESHOLD = detection('thr_x', '  condition: proc.name == "sshd"\n  threshold: count >= 5 by container.id within 5m', '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f');

describe('esdsl backend', () => {
  const { program, diagnostics } = lower({ 'a.det': SEQ, 'b.det': THRESHOLD }, { source });

  it('writes sequences as one query per step, in order, and thresholds as the per-event filter', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const out = emitFiles(esdslBackend, program, source, {});
    expect(out.diagnostics).toEqual([]);
    expect(out.files.map((f) => f.path)).toEqual(['elastic/esdsl/seq_x.json', 'elastic/esdsl/thr_x.json']);
    expect(JSON.parse(out.files[0]!.content)).toEqual({
      steps: [
        { name: 'recon', query: { bool: { filter: [{ wildcard: { [KW]: { value: '*whoami*' } } }] } } },
        { name: 'fetch', query: { bool: { filter: [{ prefix: { [KW]: { value: 'curl' } } }] } } },
      ],
    });
    expect(JSON.parse(out.files[1]!.content)).toEqual({ query: { bool: { filter: [{ term: { 'output_fields.proc.name.keyword': { value: 'sshd' } } }] } } });
  });

  it('is deterministic: sorted keys, LF, trailing newline, same bytes twice', () => {
    const a = emitFiles(esdslBackend, program, source, {});
    const b = emitFiles(esdslBackend, program, source, {});
    expect(a).toEqual(b);
    for (const f of a.files) {
      expect(f.content.endsWith('}\n')).toBe(true);
      expect(f.content).not.toContain('\r');
    }
    expect(a.files[1]!.content).toBe(
      '{\n  "query": {\n    "bool": {\n      "filter": [\n        {\n          "term": {\n            "output_fields.proc.name.keyword": {\n              "value": "sshd"\n            }\n          }\n        }\n      ]\n    }\n  }\n}\n',
    );
  });

  it('honours options.elasticProfile, and reports an unknown profile (DET6008)', () => {
    const out = emitFiles(esdslBackend, program, source, { elasticProfile: 'elastic-agent' });
    expect(out.diagnostics).toEqual([]);
    expect(JSON.parse(out.files[0]!.content)).toEqual({
      steps: [
        { name: 'recon', query: { bool: { filter: [{ wildcard: { 'process.command_line': { value: '*whoami*' } } }] } } },
        { name: 'fetch', query: { bool: { filter: [{ prefix: { 'process.command_line': { value: 'curl' } } }] } } },
      ],
    });
    expect(JSON.parse(out.files[1]!.content)).toEqual({ query: { bool: { filter: [{ term: { 'process.name': { value: 'sshd' } } }] } } });
    const text = emitFiles(esdslBackend, lower({ 'c.det': detection('fd_x', '  condition: fd.name == "/etc/shadow"') }, { source }).program, source, {
      elasticProfile: 'elastic-agent',
    });
    expect(text.files).toEqual([]);
    expect(text.diagnostics.map((d) => d.code)).toEqual(['DET5001']);
    const bad = emitFiles(esdslBackend, program, source, { elasticProfile: 'nope' });
    expect(bad.files).toEqual([]);
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['DET6008']);
    expect(bad.diagnostics[0]!.hint).toContain('elastic-agent, falcosidekick');
  });
});
