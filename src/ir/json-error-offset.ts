/**
 * Where a text stops being JSON (RFC 8259), for the errors whose message from `JSON.parse`
 * carries no position (V8: `Unexpected token '}', "{"a":tru}" is not valid JSON`), so a bad line
 * of an events file is still shown at its column. Only called on text `JSON.parse` refused.
 *
 * A scan without recursion (a line may nest deeply): a stack of the open containers, and at
 * each step either a value or what may follow one (`,`, a closing bracket, the end).
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const DIGIT = /[0-9]/;
const HEX = /[0-9a-fA-F]/;

/** The offset of the first character that cannot continue the JSON text (its length when the text ends too soon); `undefined` for valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const open: ('{' | '[')[] = [];
  const skip = (): void => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };
  /** A string at `i`; false with `i` at the offending character. */
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < text.length; ) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return true;
      }
      if (c < ' ') return false;
      if (c !== '\\') {
        i++;
        continue;
      }
      const e = text[i + 1];
      const start = i;
      if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
      else if (e === 'u') {
        // At the first character that is not a hex digit, as V8 points.
        for (i += 2; i < text.length && HEX.test(text[i]!) && i < start + 6; ) i++;
        if (i < start + 6) return false;
      } else {
        i++; // at the escaped character, as V8 points
        return false;
      }
    }
    return false;
  };
  /** A number at `i`; false with `i` where a digit was due (after `-`, `.` or the exponent's `e`), as V8 points. */
  const number = (): boolean => {
    const digits = (): boolean => {
      if (!DIGIT.test(text[i] ?? '')) return false;
      while (DIGIT.test(text[i] ?? '')) i++;
      return true;
    };
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return false;
    if (text[i] === '.') {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return false;
    }
    return true;
  };
  /** `"key" :` at `i`. */
  const key = (): boolean => {
    skip();
    if (!string()) return false;
    skip();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    // A value.
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      skip();
      const close = c === '{' ? '}' : ']';
      if (text[i] === close) i++;
      else {
        open.push(c);
        if (c === '{' && !key()) return i;
        continue;
      }
    } else if (c === '"') {
      if (!string()) return i;
    } else if (c === 't' || c === 'n' || c === 'f') {
      // A literal: where the text departs from it (`nope` at the `o`, as V8 names it), or its end.
      const literal = c === 't' ? 'true' : c === 'n' ? 'null' : 'false';
      for (let k = 0; k < literal.length; k++, i++) if (text[i] !== literal[k]) return i;
    } else if (!number()) return i;
    // What follows a value: the end, `,` and the next value, or closing brackets.
    for (;;) {
      skip();
      const top = open[open.length - 1];
      if (top === undefined) return i < text.length ? i : undefined;
      const d = text[i];
      if (d === ',') {
        i++;
        if (top === '{' && !key()) return i;
        break;
      }
      if (d !== (top === '{' ? '}' : ']')) return i;
      i++;
      open.pop();
    }
  }
}
