/**
 * A battery of conditions and synthetic Falco alerts for checking the Elastic query builders
 * against the reference evaluator in the real engine: every operator, case mode, regular
 * expression feature, missing/null/empty values, negations, rule aliases, and values full of
 * query-syntax characters. Conditions are IR over the built-in Falco source.
 */
import type { Condition, JsonObject } from '../../src/ir/types.js';
import { and, cmp, exists, isIn, not, or } from '../eval/ir.js';

// The IR builders (fields typed from the built-in source) are the evaluator tests' own.
export { and, cmp, exists, field, isIn, not, or, source, span } from '../eval/ir.js';

/** Values full of Lucene/Elasticsearch syntax, whitespace, case traps and Unicode. */
export const TRICKY: readonly string[] = [
  'a+b-c=d&&e||f>g<h!i(j)k{l}m[n]o^p"q~r*s?t:u\\v/w',
  '+ - = && || > < ! ( ) { } [ ] ^ " ~ * ? : \\ /',
  'two words',
  ' leading and trailing ',
  'tab\there',
  'new\nline',
  'cr\rreturn',
  'quote"inside',
  "single'quote",
  'back\\slash\\',
  '\\',
  '"',
  'AND',
  'OR',
  'NOT',
  'and OR not',
  '*',
  '?',
  '\\*',
  'x*y?z',
  '/etc/shadow',
  'C:\\Windows\\System32',
  'émoji 😀 ünïcödé',
  '日本語のテキスト',
  'İstanbul',
  'ıi',
  'straße STRASSE',
  'ﬀ ligature',
  'Kubectl',
  '\u212Aubectl',
  'ſecret',
  'KUBECTL GET SECRETS',
  'kubectl get secrets -n kube-system',
  'kubectl get secrets',
  '',
  '-',
  '--flag',
  '>5',
  '<x',
  '>=3',
  '\u3000ideographic',
  '\\u0041',
  '#@&~<>"',
  '%{a}$[b]',
  'colour',
  'color',
  'a\nb',
  'ab',
  'aab',
  'x12y',
  '12345',
  'AB CD',
  '😀',
  'k',
  'K',
  // Σ lower-cases by context (ς at the end of a word): `nocase` with these is refused (DET3030),
  // and every other `nocase` value must still agree with the evaluator on them
  'ΟΔΟΣ',
  'ΑΣ Β',
  'ΟΔΟ',
];

function alert(outputFields: JsonObject, top: JsonObject = {}): JsonObject {
  return { priority: 'Warning', rule: 'Battery rule', source: 'syscall', time: '2024-06-06T16:08:44.330917288Z', ...top, output_fields: outputFields };
}

/** Synthetic alerts: every tricky value as a command line, plus typed and missing fields. */
export function batteryEvents(): JsonObject[] {
  const events: JsonObject[] = TRICKY.map((v, i) => alert({ 'proc.cmdline': v, 'proc.pname': v, 'proc.name': i % 2 === 0 ? v : 'bash', 'proc.pid': i }));
  events.push(
    alert({}),
    alert({ 'proc.cmdline': null, 'proc.pid': null, 'container.privileged': null }),
    alert({ 'proc.pid': 42, 'container.privileged': true, 'proc.aname[2]': 'runc', 'user.uid': 0 }, { tags: ['container', 'shell'] }),
    alert({ 'proc.pid': 41, 'container.privileged': false, 'proc.aname[2]': '', 'user.uid': 1000 }, { tags: ['CONTAINER'] }),
    alert({ 'proc.pid': -5, 'proc.aname[2]': 'Runc' }, { tags: ['mitre_execution', 'T1059.004'] }),
    alert({ 'proc.pid': 100, 'proc.cmdline': 'kubectl get secrets' }, { rule: 'The docker client is executed in a container' }),
    alert({ 'proc.cmdline': 'kubectl get pods' }, { rule: 'Kubernetes Client Tool Launched in Container' }),
    alert({}, { rule: 'kubernetes client tool launched in container' }),
    alert({}, { rule: 'Terminal shell in container', time: '2024-06-06T16:08:44.330Z' }),
    alert({}, { rule: '', time: '2024-06-06T16:08:44.329999999Z' }),
    alert({}, { time: '2024-06-06T16:08:44.331000001Z', hostname: 'gke-prod-eu-default-pool-1a2b3c4d-x7z9' }),
    { output_fields: { 'proc.cmdline': 'no rule, no time' } },
    alert({ 'fd.name': '/etc/shadow', 'k8s.ns.name': 'kube-system', 'evt.type': 'openat' }),
    alert({ 'fd.name': '/etc/shadow-', 'k8s.ns.name': 'Kube-System' }),
    // fields the elastic-agent profile finds in ECS fields (keyword, wildcard, long)
    alert({
      'proc.name': 'bash',
      'proc.exepath': '/usr/bin/bash',
      'proc.pcmdline': 'sshd -D -e',
      'proc.sname': 'bash',
      'thread.cap_effective': 'CAP_CHOWN CAP_SYS_ADMIN',
      'thread.cap_permitted': 'CAP_CHOWN CAP_SYS_ADMIN CAP_NET_RAW',
      'group.gid': 0,
      'group.name': 'root',
      'fd.sport': 443,
      'fd.cip.name': 'client.example',
      'fd.sip.name': 'server.example',
      'fd.lip.name': 'local.example',
      'fd.rip.name': 'Remote.Example',
      'k8s.ns.name': 'kube-system',
      'k8s.pod.name': 'web-0',
    }),
    alert({
      'proc.exepath': '/bin/sh',
      'proc.pcmdline': 'SSHD -d',
      'proc.sname': 'Bash',
      'thread.cap_effective': '',
      'thread.cap_permitted': 'CAP_NET_RAW',
      'group.gid': 1000,
      'group.name': 'users',
      'fd.sport': 8080,
      'fd.sip.name': '',
      'fd.rip.name': 'remote.example',
      'k8s.pod.name': 'db-0',
    }),
  );
  return events;
}

function regexLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => `\\${c}`);
}

/** Regular expressions covering the dialect features the translation handles (and refuses). */
export const REGEXES: readonly string[] = [
  '^kubectl',
  'secrets$',
  '^kubectl.*secrets$',
  'get|list',
  '(get|list) secrets',
  'colou?r',
  'a.b',
  'a[\\s\\S]b',
  '\\d{2,}',
  '^\\d+$',
  '\\w+\\s+\\w+',
  '[^a-z ]',
  '\\p{Lu}',
  'x.*?y',
  '\\u{1F600}',
  'a{2}',
  'a{1,2}b',
  '^$',
  '',
  '^',
  '$',
  '\\.',
  '[.]',
  '\\/etc\\/shadow',
  'secret',
  'SECRET',
  'k',
  'ſ',
  '\\w',
  '[a-z]+',
  '^(?:kubectl|oc) ',
  '(?<verb>get) ',
  '\\x41',
  '\\t',
  '[\\d\\-]+',
  '[^]',
  '^a|b$',
  'ß',
  '\\n',
  '.',
  // refused: no Lucene equivalent
  '\\bword',
  'a^b',
  '(^a)',
  'a$b',
  // negated classes and escapes (complements of their positive forms, checked by the engine)
  '[^/]+$',
  '\\S+\\s\\S',
  '[^\\w.-]',
  '\\D\\W',
  '^[^^k]',
];

/** Named conditions of the battery (both case modes where they apply). */
export function batteryConditions(): { name: string; condition: Condition }[] {
  const out: { name: string; condition: Condition }[] = [];
  const add = (name: string, condition: Condition): void => {
    out.push({ name, condition });
  };
  for (const [i, v] of TRICKY.entries()) {
    for (const cs of [true, false]) {
      const mode = cs ? '' : ' nocase';
      add(`#${i} ==${mode}`, cmp('eq', 'proc.cmdline', v, cs));
      add(`#${i} !=${mode}`, cmp('ne', 'proc.cmdline', v, cs));
      add(`#${i} contains${mode}`, cmp('contains', 'proc.cmdline', v, cs));
      add(`#${i} startswith${mode}`, cmp('startswith', 'proc.cmdline', v, cs));
      add(`#${i} endswith${mode}`, cmp('endswith', 'proc.cmdline', v, cs));
      add(`#${i} regex literal${mode}`, cmp('regex', 'proc.cmdline', regexLiteral(v), cs));
      add(`#${i} in${mode}`, isIn('proc.cmdline', [v, 'kubectl get secrets'], cs));
    }
    add(`not #${i} contains`, not(cmp('contains', 'proc.cmdline', v)));
    // proc.pname: a keyword field in the elastic-agent profile (a text + keyword sub-field in falcosidekick)
    add(`pname #${i} ==`, cmp('eq', 'proc.pname', v));
    add(`pname #${i} != nocase`, cmp('ne', 'proc.pname', v, false));
    add(`pname #${i} contains nocase`, cmp('contains', 'proc.pname', v, false));
    add(`pname #${i} endswith`, cmp('endswith', 'proc.pname', v));
    add(`pname #${i} regex literal`, cmp('regex', 'proc.pname', regexLiteral(v)));
  }
  for (const [i, r] of REGEXES.entries()) {
    add(`regex ${i} ${JSON.stringify(r)}`, cmp('regex', 'proc.cmdline', r));
    add(`regex ${i} ${JSON.stringify(r)} nocase`, cmp('regex', 'proc.cmdline', r, false));
    add(`not regex ${i}`, not(cmp('regex', 'proc.cmdline', r)));
  }
  const rule = 'Kubernetes Client Tool Launched in Container';
  const old = 'The docker client is executed in a container';
  add('rule == current', cmp('eq', 'rule', rule));
  add('rule == old', cmp('eq', 'rule', old));
  add('rule != current', cmp('ne', 'rule', rule));
  add('rule != old', cmp('ne', 'rule', old));
  add('rule == current nocase', cmp('eq', 'rule', rule, false));
  add('rule contains docker', cmp('contains', 'rule', 'docker'));
  add('rule contains Client', cmp('contains', 'rule', 'Client'));
  add('rule startswith Kubernetes', cmp('startswith', 'rule', 'Kubernetes'));
  add('rule in [current, Terminal]', isIn('rule', [rule, 'Terminal shell in container']));
  add('rule in [old]', isIn('rule', [old]));
  add('not rule == current', not(cmp('eq', 'rule', rule)));
  add('rule exists', exists('rule'));
  add('rule regex', cmp('regex', 'rule', '^The .* container$'));
  add('tags == container', cmp('eq', 'tags', 'container'));
  add('tags == container nocase', cmp('eq', 'tags', 'container', false));
  add('tags in', isIn('tags', ['shell', 'T1059.004']));
  add('not tags == container', not(cmp('eq', 'tags', 'container')));
  add('proc.pid == 42', cmp('eq', 'proc.pid', 42));
  add('proc.pid != 42', cmp('ne', 'proc.pid', 42));
  add('proc.pid == 1.5', cmp('eq', 'proc.pid', 1.5));
  add('proc.pid != 1.5', cmp('ne', 'proc.pid', 1.5));
  add('proc.pid < 41', cmp('lt', 'proc.pid', 41));
  add('proc.pid <= 41', cmp('le', 'proc.pid', 41));
  add('proc.pid > 41', cmp('gt', 'proc.pid', 41));
  add('proc.pid >= 41.5', cmp('ge', 'proc.pid', 41.5));
  add('proc.pid > 41.5', cmp('gt', 'proc.pid', 41.5));
  add('proc.pid < 41.5', cmp('lt', 'proc.pid', 41.5));
  add('proc.pid <= -4.5', cmp('le', 'proc.pid', -4.5));
  add('proc.pid in', isIn('proc.pid', [1, 42, 2.5]));
  add('proc.pid exists', exists('proc.pid'));
  add('not proc.pid > 10', not(cmp('gt', 'proc.pid', 10)));
  add('privileged == true', cmp('eq', 'container.privileged', true));
  add('privileged != true', cmp('ne', 'container.privileged', true));
  add('privileged == false', cmp('eq', 'container.privileged', false));
  add('privileged exists', exists('container.privileged'));
  add('not privileged == true', not(cmp('eq', 'container.privileged', true)));
  add('time exists', exists('time'));
  add('time >= .330Z', cmp('ge', 'time', '2024-06-06T16:08:44.330Z'));
  add('time < .330Z', cmp('lt', 'time', '2024-06-06T16:08:44.330Z'));
  add('time >= .331+00:00', cmp('ge', 'time', '2024-06-06T18:08:44.331+02:00'));
  add('aname[2] == runc', cmp('eq', 'proc.aname[2]', 'runc'));
  add('aname[2] exists', exists('proc.aname[2]'));
  add('aname[2] == runc nocase', cmp('eq', 'proc.aname[2]', 'RUNC', false));
  add('proc.cmdline exists', exists('proc.cmdline'));
  add('not proc.cmdline exists', not(exists('proc.cmdline')));
  add('user.uid == 0', cmp('eq', 'user.uid', 0));
  add('fd.name == /etc/shadow', cmp('eq', 'fd.name', '/etc/shadow'));
  add('k8s.ns.name == kube-system nocase', cmp('eq', 'k8s.ns.name', 'KUBE-SYSTEM', false));
  add('evt.type in', isIn('evt.type', ['openat', 'open']));
  // ECS keyword, wildcard and long fields in the elastic-agent profile
  add('proc.name == bash', cmp('eq', 'proc.name', 'bash'));
  add('proc.name in nocase', isIn('proc.name', ['BASH', 'sh'], false));
  add('proc.exepath startswith /usr/', cmp('startswith', 'proc.exepath', '/usr/'));
  add('proc.pcmdline contains " -d" nocase', cmp('contains', 'proc.pcmdline', ' -d', false));
  add('proc.pcmdline regex', cmp('regex', 'proc.pcmdline', '^sshd\\s'));
  add('proc.pcmdline != sshd -D -e', cmp('ne', 'proc.pcmdline', 'sshd -D -e'));
  add('proc.sname == bash', cmp('eq', 'proc.sname', 'bash'));
  add('proc.sname == bash nocase', cmp('eq', 'proc.sname', 'bash', false));
  add('thread.cap_effective contains CAP_SYS_ADMIN', cmp('contains', 'thread.cap_effective', 'CAP_SYS_ADMIN'));
  add('thread.cap_effective exists', exists('thread.cap_effective'));
  add('thread.cap_permitted == CAP_NET_RAW', cmp('eq', 'thread.cap_permitted', 'CAP_NET_RAW'));
  add('group.gid == 0', cmp('eq', 'group.gid', 0));
  add('group.gid != 0', cmp('ne', 'group.gid', 0));
  add('group.gid in', isIn('group.gid', [1000, 5]));
  add('group.gid exists', exists('group.gid'));
  add('group.name == root', cmp('eq', 'group.name', 'root'));
  add('fd.sport == 443', cmp('eq', 'fd.sport', 443));
  add('fd.sport in', isIn('fd.sport', [80, 8080]));
  add('fd.cip.name == client.example', cmp('eq', 'fd.cip.name', 'client.example'));
  add('fd.sip.name exists', exists('fd.sip.name'));
  add('fd.lip.name endswith .example', cmp('endswith', 'fd.lip.name', '.example'));
  add('fd.rip.name == remote.example nocase', cmp('eq', 'fd.rip.name', 'remote.example', false));
  add('k8s.ns.name == kube-system', cmp('eq', 'k8s.ns.name', 'kube-system'));
  add('k8s.pod.name startswith web-', cmp('startswith', 'k8s.pod.name', 'web-'));
  add('and/not', and(cmp('eq', 'rule', rule), not(cmp('contains', 'proc.cmdline', 'pods'))));
  add('or/not', or(cmp('eq', 'proc.pid', 42), not(exists('proc.cmdline'))));
  add('not or', not(or(cmp('eq', 'proc.pid', 42), cmp('contains', 'proc.cmdline', 'kubectl'))));
  add('not and', not(and(cmp('gt', 'proc.pid', 10), cmp('startswith', 'proc.cmdline', 'k', false))));
  add('not not', not(not(cmp('eq', 'proc.pid', 42))));
  add('only negations', and(not(cmp('eq', 'proc.pid', 42)), not(cmp('contains', 'proc.cmdline', 'a'))));
  add('nested', or(and(cmp('ne', 'proc.cmdline', 'ab'), cmp('lt', 'proc.pid', 30)), and(not(exists('proc.pid')), cmp('ne', 'rule', old))));
  return out;
}
