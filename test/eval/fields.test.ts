import { describe, expect, it } from 'vitest';
import { fieldValue } from '../../src/eval/fields.js';
import { REGEX_TIME_LIMIT_MS, RegexTimeout } from '../../src/eval/regex.js';
import { parseSource } from '../../src/source/load.js';
import { alert, field, source } from './ir.js';

/** A minimal source whose cluster name is group 1 of `pattern` over the host name. */
function sourceWithHostnamePattern(pattern: string) {
  const yaml = `name: s
description: d
sentinel: {functionName: F, routes: [json]}
cluster: {hostnamePattern: '${pattern}'}
elastic: {defaultProfile: p, profiles: {p: {description: d, index: [i], timestampField: t}}}
fields:
  - {name: cluster, type: string, in: derived, column: ClusterName, description: c}
`;
  return parseSource(yaml, 'c.source.yaml').source!;
}

describe('fieldValue', () => {
  it('reads top-level alert keys and flat output_fields keys', () => {
    const e = alert(
      { rule: 'Terminal shell in container', hostname: 'node-1', tags: ['container', 'shell'], time: '2023-05-25T13:44:05.478445995Z' },
      { 'proc.cmdline': 'sh -c ls', 'proc.tty': 34816, 'proc.aname[2]': 'runc', 'container.image.repository': null, 'evt.failed': false },
    );
    expect(fieldValue(e, field('rule'), source)).toBe('Terminal shell in container');
    expect(fieldValue(e, field('hostname'), source)).toBe('node-1');
    expect(fieldValue(e, field('tags'), source)).toEqual(['container', 'shell']);
    expect(fieldValue(e, field('time'), source)).toBe('2023-05-25T13:44:05.478445995Z');
    expect(fieldValue(e, field('proc.cmdline'), source)).toBe('sh -c ls');
    expect(fieldValue(e, field('proc.tty'), source)).toBe(34816);
    expect(fieldValue(e, field('proc.aname[2]'), source)).toBe('runc');
    expect(fieldValue(e, field('container.image.repository'), source)).toBeNull();
    expect(fieldValue(e, field('evt.failed'), source)).toBe(false);
    expect(fieldValue(e, field('proc.name'), source)).toBeUndefined();
  });

  it('does not read nested objects, the wrong place, or inherited keys', () => {
    const nested = { output_fields: { proc: { cmdline: 'sh' } } };
    expect(fieldValue(nested, field('proc.cmdline'), source)).toBeUndefined();
    expect(fieldValue({ 'proc.cmdline': 'sh' }, field('proc.cmdline'), source)).toBeUndefined();
    expect(fieldValue({ output_fields: { rule: 'x' } }, field('rule'), source)).toBeUndefined();
    expect(fieldValue({ output_fields: ['x'] }, field('proc.cmdline'), source)).toBeUndefined();
    expect(fieldValue({ output_fields: null }, field('proc.cmdline'), source)).toBeUndefined();
    expect(fieldValue({}, { name: 'toString', type: 'string' }, source)).toBeUndefined();
    expect(fieldValue({ output_fields: {} }, { name: 'constructor', type: 'string' }, source)).toBeUndefined();
  });

  it('normalises earlier rule names to the current one', () => {
    const old = alert({ rule: 'The docker client is executed in a container' });
    expect(fieldValue(old, field('rule'), source)).toBe('Kubernetes Client Tool Launched in Container');
    const current = alert({ rule: 'Kubernetes Client Tool Launched in Container' });
    expect(fieldValue(current, field('rule'), source)).toBe('Kubernetes Client Tool Launched in Container');
    // Only the rule field is normalised.
    const elsewhere = alert({ output: 'The docker client is executed in a container' });
    expect(fieldValue(elsewhere, field('output'), source)).toBe('The docker client is executed in a container');
  });

  describe('derived cluster', () => {
    const cluster = field('cluster');
    it('prefers the Falcosidekick custom field', () => {
      const e = alert({ hostname: 'gke-prod-default-pool-1a2b3c4d-x7z9' }, { cluster: 'payments' });
      expect(fieldValue(e, cluster, source)).toBe('payments');
    });
    it('falls back to the GKE host name pattern (group 1)', () => {
      expect(fieldValue(alert({ hostname: 'gke-prod-eu-default-pool-1a2b3c4d-x7z9' }), cluster, source)).toBe('prod-eu');
      expect(fieldValue(alert({ hostname: 'gke-prod-default-pool-1a2b3c4d-x7z9' }, { cluster: '' }), cluster, source)).toBe('prod');
      expect(fieldValue(alert({ hostname: 'gke-prod-default-pool-1a2b3c4d-x7z9' }, { cluster: 42 }), cluster, source)).toBe('prod');
    });
    it('is undefined when neither yields a name', () => {
      expect(fieldValue(alert({ hostname: 'my-pool-1-node-921b61' }), cluster, source)).toBeUndefined();
      expect(fieldValue(alert({}), cluster, source)).toBeUndefined();
      expect(fieldValue(alert({ hostname: 7 }), cluster, source)).toBeUndefined();
    });
    it('follows the source configuration', () => {
      const custom = sourceWithHostnamePattern('^(?:[a-z]+)-(x*)$');
      // The custom field is not configured: output_fields.cluster is ignored.
      expect(fieldValue(alert({ hostname: 'node-xx' }, { cluster: 'c1' }), cluster, custom)).toBe('xx');
      // An empty group is no name.
      expect(fieldValue(alert({ hostname: 'node-' }), cluster, custom)).toBeUndefined();
    });
    it('runs a backtracking host name pattern of a source with the time limit of regex (RegexTimeout), not for minutes', () => {
      const slow = sourceWithHostnamePattern('^(?:(.*)*x)$');
      expect(fieldValue(alert({ hostname: 'aax' }), cluster, slow)).toBe('aa');
      const started = Date.now();
      expect(() => fieldValue(alert({ hostname: 'a'.repeat(45) }), cluster, slow)).toThrow(RegexTimeout);
      expect(Date.now() - started).toBeLessThan(REGEX_TIME_LIMIT_MS * 10);
    });
  });
});
