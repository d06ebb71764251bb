import { describe, expect, it } from 'vitest';
import { compareCodePoints, evaluateCondition } from '../../src/eval/condition.js';
import type { Condition, JsonObject } from '../../src/ir/types.js';
import { alert, and, cmp, exists, isIn, not, or, source } from './ir.js';

const shell = alert(
  {
    rule: 'Terminal shell in container',
    priority: 'Notice',
    hostname: 'gke-prod-default-pool-1a2b3c4d-x7z9',
    tags: ['container', 'mitre_execution', 'shell'],
    time: '2023-05-25T13:44:05.478445995Z',
  },
  {
    'proc.cmdline': 'sh -c clear; (bash || ash || sh)',
    'proc.name': 'sh',
    'proc.pname': null,
    'proc.tty': 34816,
    'user.loginuid': -1,
    'user.name': 'Root',
    'container.id': 'ee97d9c4186f',
    'container.image.repository': 'docker.io/library/alpine',
    'container.privileged': true,
    'evt.res': '',
    'ka.response.code': '201',
  },
);

const holds = (c: Condition, e: JsonObject = shell) => evaluateCondition(c, e, source);

describe('evaluateCondition: string comparisons', () => {
  it('eq / ne are case-sensitive by default', () => {
    expect(holds(cmp('eq', 'proc.name', 'sh'))).toBe(true);
    expect(holds(cmp('eq', 'proc.name', 'SH'))).toBe(false);
    expect(holds(cmp('ne', 'proc.name', 'SH'))).toBe(true);
    expect(holds(cmp('ne', 'proc.name', 'sh'))).toBe(false);
    expect(holds(cmp('eq', 'user.name', 'root'))).toBe(false);
  });

  it('nocase lower-cases both sides', () => {
    expect(holds(cmp('eq', 'user.name', 'ROOT', false))).toBe(true);
    expect(holds(cmp('ne', 'user.name', 'ROOT', false))).toBe(false);
    expect(holds(cmp('contains', 'proc.cmdline', 'BASH', false))).toBe(true);
    expect(holds(cmp('startswith', 'proc.cmdline', 'SH -C', false))).toBe(true);
    expect(holds(cmp('endswith', 'proc.cmdline', 'SH)', false))).toBe(true);
    const unicode = alert({}, { 'proc.cmdline': 'ÉCHO Straße' });
    expect(holds(cmp('eq', 'proc.cmdline', 'écho straße', false), unicode)).toBe(true);
    expect(holds(cmp('eq', 'proc.cmdline', 'écho straße'), unicode)).toBe(false);
  });

  it('contains / startswith / endswith', () => {
    expect(holds(cmp('contains', 'proc.cmdline', '(bash || ash'))).toBe(true);
    expect(holds(cmp('contains', 'proc.cmdline', 'zsh'))).toBe(false);
    expect(holds(cmp('contains', 'proc.cmdline', 'BASH'))).toBe(false);
    expect(holds(cmp('startswith', 'proc.cmdline', 'sh -c'))).toBe(true);
    expect(holds(cmp('startswith', 'proc.cmdline', '-c'))).toBe(false);
    expect(holds(cmp('endswith', 'proc.cmdline', 'sh)'))).toBe(true);
    expect(holds(cmp('endswith', 'proc.cmdline', 'sh'))).toBe(false);
    expect(holds(cmp('contains', 'proc.cmdline', ''))).toBe(true);
  });

  it('regex is an unanchored search, u flag, i flag with nocase', () => {
    expect(holds(cmp('regex', 'proc.cmdline', 'ba?sh'))).toBe(true);
    expect(holds(cmp('regex', 'proc.cmdline', '^sh -c'))).toBe(true);
    expect(holds(cmp('regex', 'proc.cmdline', '^bash'))).toBe(false);
    expect(holds(cmp('regex', 'proc.cmdline', 'BASH'))).toBe(false);
    expect(holds(cmp('regex', 'proc.cmdline', 'BASH', false))).toBe(true);
    const emoji = alert({}, { 'proc.cmdline': 'echo 🙂' });
    expect(holds(cmp('regex', 'proc.cmdline', '^echo .$'), emoji)).toBe(true); // one code point
    expect(holds(cmp('regex', 'proc.cmdline', '\\p{L}+'), emoji)).toBe(true);
    expect(() => holds(cmp('regex', 'proc.cmdline', '(unclosed'))).toThrow(/validation should reject it/);
  });

  it('orders strings by code point', () => {
    expect(holds(cmp('lt', 'container.id', 'f'))).toBe(true);
    expect(holds(cmp('gt', 'container.id', 'ee97'))).toBe(true);
    expect(holds(cmp('le', 'container.id', 'ee97d9c4186f'))).toBe(true);
    expect(holds(cmp('ge', 'container.id', 'ef'))).toBe(false);
    expect(compareCodePoints('\u{1F642}', '\uFFFD')).toBeGreaterThan(0); // UTF-16 order would say less
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('b', 'ab')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });
});

describe('evaluateCondition: numbers, booleans and type mismatches', () => {
  it('compares numbers numerically', () => {
    expect(holds(cmp('eq', 'proc.tty', 34816))).toBe(true);
    expect(holds(cmp('ne', 'proc.tty', 0))).toBe(true);
    expect(holds(cmp('gt', 'proc.tty', 0))).toBe(true);
    expect(holds(cmp('gt', 'proc.tty', 34816))).toBe(false);
    expect(holds(cmp('ge', 'proc.tty', 34816))).toBe(true);
    expect(holds(cmp('lt', 'user.loginuid', 0))).toBe(true);
    expect(holds(cmp('le', 'user.loginuid', -1))).toBe(true);
    expect(holds(cmp('lt', 'proc.tty', 100000))).toBe(true);
    expect(holds(cmp('gt', 'proc.tty', 9999))).toBe(true); // not "34816" < "9999" as strings
  });

  it('never coerces: a numeric string is not a number, and the reverse', () => {
    expect(holds(cmp('eq', 'ka.response.code', 201))).toBe(false);
    expect(holds(cmp('ne', 'ka.response.code', 201))).toBe(false);
    expect(holds(cmp('eq', 'ka.response.code', '201'))).toBe(true);
    expect(holds(cmp('eq', 'proc.tty', '34816'))).toBe(false);
    expect(holds(cmp('ne', 'proc.tty', '34816'))).toBe(false);
    expect(holds(cmp('contains', 'proc.tty', '348'))).toBe(false);
    expect(holds(cmp('regex', 'proc.tty', '3'))).toBe(false);
    expect(holds(isIn('proc.tty', ['34816']))).toBe(false);
  });

  it('booleans support eq and ne only', () => {
    expect(holds(cmp('eq', 'container.privileged', true))).toBe(true);
    expect(holds(cmp('ne', 'container.privileged', false))).toBe(true);
    expect(holds(cmp('eq', 'container.privileged', false))).toBe(false);
    expect(holds(cmp('gt', 'container.privileged', false))).toBe(false);
    expect(holds(cmp('eq', 'container.privileged', 'true'))).toBe(false);
  });
});

describe('evaluateCondition: missing fields', () => {
  it('makes every comparison false, ne included; not flips that', () => {
    for (const name of ['proc.exepath', 'proc.pname']) {
      // proc.exepath is absent, proc.pname is null
      expect(holds(cmp('eq', name, 'x'))).toBe(false);
      expect(holds(cmp('ne', name, 'x'))).toBe(false);
      expect(holds(cmp('contains', name, ''))).toBe(false);
      expect(holds(cmp('regex', name, '.*'))).toBe(false);
      expect(holds(cmp('lt', name, 'zzz'))).toBe(false);
      expect(holds(isIn(name, ['x', '']))).toBe(false);
      expect(holds(not(cmp('eq', name, 'x')))).toBe(true);
      expect(holds(not(cmp('ne', name, 'x')))).toBe(true);
    }
    expect(holds(cmp('ne', 'proc.tty', 1), alert({}, {}))).toBe(false);
    expect(holds(cmp('eq', 'rule', 'x'), {})).toBe(false);
  });
});

describe('evaluateCondition: exists', () => {
  it('is present, not null and not the empty string', () => {
    expect(holds(exists('proc.name'))).toBe(true);
    expect(holds(exists('proc.tty'))).toBe(true);
    expect(holds(exists('user.loginuid'))).toBe(true);
    expect(holds(exists('container.privileged'))).toBe(true);
    expect(holds(exists('tags'))).toBe(true);
    expect(holds(exists('proc.exepath'))).toBe(false); // absent
    expect(holds(exists('proc.pname'))).toBe(false); // null
    expect(holds(exists('evt.res'))).toBe(false); // ""
    expect(holds(exists('proc.tty'), alert({}, { 'proc.tty': 0 }))).toBe(true);
    expect(holds(exists('evt.failed'), alert({}, { 'evt.failed': false }))).toBe(true);
    expect(holds(exists('cluster'))).toBe(true); // derived from the GKE host name
    expect(holds(exists('cluster'), alert({ hostname: 'h' }))).toBe(false);
  });
});

describe('evaluateCondition: in', () => {
  it('equals one of the values, honouring case mode and types', () => {
    expect(holds(isIn('proc.name', ['bash', 'sh', 'zsh']))).toBe(true);
    expect(holds(isIn('proc.name', ['bash', 'SH']))).toBe(false);
    expect(holds(isIn('proc.name', ['bash', 'SH'], false))).toBe(true);
    expect(holds(isIn('proc.name', []))).toBe(false);
    expect(holds(isIn('proc.tty', [0, 34816]))).toBe(true);
    expect(holds(isIn('proc.tty', [0, 1]))).toBe(false);
  });
});

describe('evaluateCondition: string[] fields', () => {
  it('eq and in hold when some element matches', () => {
    expect(holds(cmp('eq', 'tags', 'shell'))).toBe(true);
    expect(holds(cmp('eq', 'tags', 'SHELL'))).toBe(false);
    expect(holds(cmp('eq', 'tags', 'SHELL', false))).toBe(true);
    expect(holds(cmp('eq', 'tags', 'network'))).toBe(false);
    expect(holds(isIn('tags', ['network', 'mitre_execution']))).toBe(true);
    expect(holds(isIn('tags', ['network', 'host']))).toBe(false);
  });

  it('ne holds when no element equals; other ops when some element satisfies them', () => {
    expect(holds(cmp('ne', 'tags', 'network'))).toBe(true);
    expect(holds(cmp('ne', 'tags', 'shell'))).toBe(false);
    expect(holds(cmp('startswith', 'tags', 'mitre_'))).toBe(true);
    expect(holds(cmp('regex', 'tags', '^T\\d{4}'))).toBe(false);
  });

  it('an empty list has no matching element; a scalar in place of a list is a type mismatch', () => {
    const empty = alert({ tags: [] });
    expect(holds(cmp('eq', 'tags', 'shell'), empty)).toBe(false);
    expect(holds(exists('tags'), empty)).toBe(true);
    expect(holds(cmp('eq', 'tags', 'shell'), alert({ tags: 'shell' }))).toBe(false);
    // A list where a string field is declared does not match either.
    expect(holds(cmp('eq', 'proc.name', 'sh'), alert({}, { 'proc.name': ['sh'] }))).toBe(false);
    // Non-string elements are ignored.
    expect(holds(cmp('eq', 'tags', 'x'), alert({ tags: [1, null, 'x'] }))).toBe(true);
  });
});

describe('evaluateCondition: timestamps', () => {
  it('compares instants with nanosecond precision across zones', () => {
    expect(holds(cmp('eq', 'time', '2023-05-25T13:44:05.478445995Z'))).toBe(true);
    expect(holds(cmp('eq', 'time', '2023-05-25T15:44:05.478445995+02:00'))).toBe(true);
    expect(holds(cmp('lt', 'time', '2023-05-25T13:44:05.478445996Z'))).toBe(true);
    expect(holds(cmp('gt', 'time', '2023-05-25T13:44:05.478445994Z'))).toBe(true);
    expect(holds(cmp('ge', 'time', '2023-05-25T13:44:05.4784459950Z'))).toBe(true);
    expect(holds(cmp('ne', 'time', '2023-05-25T13:44:05Z'))).toBe(true);
    expect(holds(cmp('gt', 'time', 'yesterday'))).toBe(false);
    expect(holds(cmp('ne', 'time', 'yesterday'))).toBe(false);
    expect(holds(cmp('startswith', 'time', '2023-05-25T'))).toBe(true);
  });
});

describe('evaluateCondition: and / or / not', () => {
  it('combines', () => {
    const t = cmp('eq', 'proc.name', 'sh');
    const f = cmp('eq', 'proc.name', 'bash');
    expect(holds(and(t, t))).toBe(true);
    expect(holds(and(t, f))).toBe(false);
    expect(holds(or(f, t))).toBe(true);
    expect(holds(or(f, f))).toBe(false);
    expect(holds(not(f))).toBe(true);
    expect(holds(not(and(t, not(f))))).toBe(false);
    expect(holds(or(and(f, t), and(t, not(f))))).toBe(true);
  });

  it('reads rule aliases in conditions', () => {
    const old = alert({ rule: 'The docker client is executed in a container' });
    expect(holds(cmp('eq', 'rule', 'Kubernetes Client Tool Launched in Container'), old)).toBe(true);
    expect(holds(isIn('rule', ['Kubernetes Client Tool Launched in Container']), old)).toBe(true);
    expect(holds(cmp('eq', 'rule', 'The docker client is executed in a container'), old)).toBe(false);
  });

  it('matches the cluster derived from a custom field or the host name', () => {
    expect(holds(cmp('eq', 'cluster', 'prod'))).toBe(true);
    expect(holds(cmp('eq', 'cluster', 'payments'), alert({ hostname: 'gke-prod-default-pool-1a2b3c4d-x7z9' }, { cluster: 'payments' }))).toBe(true);
    expect(holds(cmp('ne', 'cluster', 'prod'), alert({ hostname: 'worker-1' }))).toBe(false);
  });
});
