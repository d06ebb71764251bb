import { describe, expect, it } from 'vitest';
import { findUnsupported } from '../../../src/validate/rules/RegexRule.js';
import { at, check, detection, only } from '../../helpers/det.js';

function regexDiagnostics(pattern: string) {
  const { validation, diagnostics } = check(detection('d', `  condition: proc.cmdline regex ${JSON.stringify(pattern)}`));
  expect(diagnostics).toEqual([]);
  return only(validation, 'DET3005');
}

describe('RegexRule', () => {
  it('accepts an RE2-compatible pattern', () => {
    expect(regexDiagnostics('^(?:bash|sh) -c .*(curl|wget)\\s+https?://[^ ]+$')).toEqual([]);
    expect(regexDiagnostics('(?<name>b)|[(?=]|\\(?=|a{2,3}?')).toEqual([]);
  });

  it('rejects a backspace written as `\\b` in the string, meant as a word boundary (DET3005), saying how to write one', () => {
    // `proc.cmdline regex "\bcurl\b"` as typed in a .det file: JSON.stringify gives exactly that text.
    const ds = regexDiagnostics('\bcurl\b');
    expect(ds.map(at)).toEqual(['DET3005 6:33']);
    expect(ds[0]!.message).toBe('regular expression "\\bcurl\\b" holds a backspace character (U+0008, at character 1): in a string, `\\b` is a backspace, not a word boundary');
    expect(ds[0]!.hint).toContain('for a word boundary write `\\\\b`');
    expect(regexDiagnostics('\\bcurl\\b')).toEqual([]);
  });

  it('rejects a lookahead (DET3005) at the pattern, naming the construct and position', () => {
    const ds = regexDiagnostics('curl(?=.*-o)');
    expect(ds.map(at)).toEqual(['DET3005 6:33']);
    expect(ds[0]).toMatchObject({
      severity: 'error',
      message: 'regular expression "curl(?=.*-o)" uses a lookahead `(?=…)` (at character 5), which RE2 does not support',
    });
    expect(ds[0]!.hint).toContain('RE2 has no lookaround');
  });

  it.each([
    ['a(?!b)', 'negative lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'negative lookbehind'],
    ['(a)\\1', 'backreference `\\1`'],
    ['(?<n>a)\\k<n>', 'named backreference'],
    ['a*+', 'possessive quantifier `*+`'],
    ['a{2}+', 'possessive quantifier `}+`'],
    ['(?>ab)', 'atomic group'],
    ['(?i)bash', 'uses inline flags `(?i)` (at character 1), which JavaScript'],
    ['(?>ab)x', 'uses an atomic group'],
    ['(?P<n>a)', 'Python-style named group `(?P<…>…)` (at character 1), which JavaScript does not support'],
  ])('rejects %s: %s', (pattern, construct) => {
    const ds = regexDiagnostics(pattern);
    expect(ds.map(at)).toEqual(['DET3005 6:33']);
    expect(ds[0]!.message).toContain(construct);
  });

  it('rejects a pattern JavaScript cannot compile with the u flag (DET3005)', () => {
    const ds = regexDiagnostics('a(b');
    expect(ds.map(at)).toEqual(['DET3005 6:33']);
    expect(ds[0]!.message).toBe('invalid regular expression "a(b": Unterminated group');
    const escape = regexDiagnostics('\\e');
    expect(escape[0]!.message).toBe('invalid regular expression "\\\\e": Invalid escape');
  });

  it('finds constructs only outside character classes and escapes', () => {
    expect(findUnsupported('[\\1]')).toBeUndefined();
    expect(findUnsupported('\\(?!x')).toBeUndefined();
    expect(findUnsupported('[a]\\\\\\1')).toMatchObject({ index: 5 });
  });

  it('reads `\\p{…}`, `\\P{…}` and `\\u{…}` as one escape: a quantifier after one is not possessive', () => {
    for (const pattern of ['^\\p{Lu}\\p{Ll}+$', '\\P{L}+', '\\u{41}+', '\\p{Script=Greek}*?']) {
      expect(findUnsupported(pattern), pattern).toBeUndefined();
      expect(regexDiagnostics(pattern), pattern).toEqual([]);
    }
    expect(findUnsupported('\\p{L}++')).toMatchObject({ construct: 'a possessive quantifier `++`', index: 5 });
  });

  it('names an octal escape as one (RE2 reads it, JavaScript does not), not as a backreference', () => {
    const ds = regexDiagnostics('^\\101\\0123$');
    expect(ds.map(at)).toEqual(['DET3005 6:33']);
    expect(ds[0]!.message).toBe(
      'regular expression "^\\\\101\\\\0123$" uses an octal escape `\\101` (at character 2), which JavaScript does not support',
    );
    expect(ds[0]!.hint).toBe('write the character as a hex escape, e.g. `\\x41`');
    expect(findUnsupported('\\012')).toMatchObject({ construct: 'an octal escape `\\012`', index: 0 });
    // three digits past \377 are two octal digits and a literal digit, as RE2 reads them
    expect(findUnsupported('\\477')?.hint).toContain('`\\x27`');
    // one digit stays a backreference; inside a class the escape is left to JavaScript
    expect(findUnsupported('(a)\\1')).toMatchObject({ construct: 'a backreference `\\1`' });
    expect(findUnsupported('[\\101]')).toBeUndefined();
  });
});
