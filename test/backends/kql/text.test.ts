import { describe, expect, it } from 'vitest';
import { commentText, kqlName, kqlNumber, kqlString, kqlTimespan, kql, str, num } from '../../../src/backends/kql/text.js';
import { stringLiteralValues } from '../../../src/kusto/analyser.js';

describe('kqlString', () => {
  it('uses the verbatim form for backslashes and escapes everything else', () => {
    expect(kqlString('abc')).toBe('"abc"');
    expect(kqlString(String.raw`C:\x "y"`)).toBe(String.raw`@"C:\x ""y"""`);
    expect(kqlString('a"b')).toBe(String.raw`"a\"b"`);
    expect(kqlString('a\nb\\c')).toBe(String.raw`"a\nb\\c"`);
    expect(kqlString('\u0001\u007f\u2028')).toBe(String.raw`"\u0001\u007F\u2028"`);
  });

  const NASTY = [
    '"', "'", '\\', '\\\\', '"\\"', 'a\nb', '\r\n', '\t', '|', '//', '/* x */', '// where true',
    'where', 'and', 'or', 'not', 'project', '| project-away TenantId', '" or true or "', "' or 1==1 //",
    '@"x"', '\\"', 'end\\', '\u0000', '\u001f', '\u007f', '\u0085', '\u2028\u2029', 'émoji 😀', '\ud800', 'x\udfff',
    '${x}', '{{Col}}', '[x]', ';', '\n| take 1\n', '',
  ];

  it('keeps every value unchanged through Kusto.Language, as one literal', () => {
    const query = `print ${NASTY.map((v, i) => `c${i} = ${kqlString(v)}`).join(', ')}`;
    expect(stringLiteralValues(query)).toEqual(NASTY);
  });
});

describe('kqlNumber', () => {
  it('writes integers exactly as long literals and other numbers as real()', () => {
    expect(kqlNumber(0)).toBe('0');
    expect(kqlNumber(-0)).toBe('0');
    expect(kqlNumber(-5)).toBe('-5');
    expect(kqlNumber(1717690124330917288)).toBe('1717690124330917376');
    expect(kqlNumber(1.5)).toBe('real(1.5)');
    expect(kqlNumber(1e21)).toBe('real(1e21)');
    expect(kqlNumber(1e-7)).toBe('real(1e-7)');
    expect(() => kqlNumber(Number.NaN)).toThrow();
  });
});

describe('kqlName, kqlTimespan, commentText', () => {
  it('brackets names that are not plain identifiers or are keywords', () => {
    expect(kqlName('ProcessName')).toBe('ProcessName');
    expect(kqlName('time')).toBe("['time']");
    expect(kqlName('a.b')).toBe("['a.b']");
    expect(kqlName("it's")).toBe("['it\\'s']");
  });

  it('writes timespans in the largest whole unit', () => {
    expect([kqlTimespan(30), kqlTimespan(300), kqlTimespan(5400), kqlTimespan(7200), kqlTimespan(172800)]).toEqual(['30s', '5m', '90m', '2h', '2d']);
  });

  it('keeps comments on one line', () => {
    expect(commentText('a\nb\r\nc\u2028')).toBe('a b c');
  });
});

describe('the kql tag', () => {
  it('keeps literals out of the shape, with their types', () => {
    const k = kql`X == ${str('a"b')} and Y > ${num(1.5)} and Z < ${num(3)}`;
    expect(k.text).toBe('X == "a\\"b" and Y > real(1.5) and Z < 3');
    expect(k.shape).toBe('X == "" and Y > real(0) and Z < 0');
  });
});
