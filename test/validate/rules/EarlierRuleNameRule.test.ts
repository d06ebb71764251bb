import { describe, expect, it } from 'vitest';
import { builtinSource } from '../../../src/source/load.js';
import { at, check, detection } from '../../helpers/det.js';

const OLD = 'The docker client is executed in a container';
const NEW = 'Kubernetes Client Tool Launched in Container';

function earlier(condition: string) {
  const { validation, diagnostics } = check(detection('d', `  condition: ${condition}`), { source: builtinSource() });
  expect(diagnostics).toEqual([]);
  return validation.filter((d) => d.code === 'DET3031');
}

describe('EarlierRuleNameRule', () => {
  it('warns at a comparison of `rule` with an earlier rule name, naming the current one', () => {
    const [d, ...rest] = earlier(`rule == "${OLD}"`);
    expect(rest).toEqual([]);
    expect(at(d!)).toBe('DET3031 6:22');
    expect(d).toMatchObject({
      severity: 'warning',
      message: `"${OLD}" is an earlier name of the Falco rule "${NEW}": \`rule\` reads it as the current name, so this comparison never matches`,
      hint: `compare with the current name, "${NEW}": alerts carrying either name match it`,
    });
    expect(earlier(`rule != "${OLD}"`)[0]!.message).toMatch(/never fails$/);
    expect(earlier(`rule in ["x", "${OLD}"] or rule == "y"`).map(at)).toEqual(['DET3031 6:22']);
  });

  it('finds an earlier name in another case in a nocase comparison, and words an `in` value as one value', () => {
    expect(earlier(`rule == "${OLD.toLowerCase()}" nocase`).map(at)).toEqual(['DET3031 6:22']);
    expect(earlier(`rule in ["x", "${OLD.toUpperCase()}"] nocase`).map(at)).toEqual(['DET3031 6:22']);
    expect(earlier(`rule == "${OLD.toLowerCase()}"`)).toEqual([]);
    expect(earlier(`rule == "${NEW.toLowerCase()}" nocase`)).toEqual([]);
    const [d] = earlier(`rule in ["x", "${OLD}"]`);
    expect(d!.message).toMatch(/so this value of the list never matches$/);
  });

  it('says nothing of the current name, other names, other fields or substring tests', () => {
    expect(earlier(`rule == "${NEW}"`)).toEqual([]);
    expect(earlier(`rule in ["${NEW}", "Terminal shell in container"]`)).toEqual([]);
    expect(earlier(`proc.cmdline == "${OLD}"`)).toEqual([]);
    expect(earlier('rule contains "docker client"')).toEqual([]);
  });
});
