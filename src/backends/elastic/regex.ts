/**
 * Translating a DSL `regex` (a JavaScript regular expression with the `u` flag, `iu` for
 * `nocase`, searched anywhere in the value: the reference evaluator's `RegExp.test`) into a
 * Lucene regular expression that matches the whole term exactly when the evaluator's search
 * succeeds.
 *
 * - The search becomes a whole-term match by `.*` on each side, left out next to a `^`/`$`
 *   anchor. Anchors are supported at the start/end of top-level alternatives only.
 * - Every one-character atom (literal, `.`, class, `\d \w \s \p{…}` and their negations) is
 *   replaced by the exact set of characters JavaScript matches with it under the same flags
 *   (so `.` leaves out line terminators, `\w` under `iu` includes U+017F and U+212A, …).
 * - Quantifiers carry over (`* + ? {n} {n,} {n,m}`); lazy `?` suffixes are dropped (laziness
 *   does not change whether a match exists). Groups of every kind become plain groups.
 * - Refused (with the reason): anchors elsewhere, word boundaries `\b \B`, lookaround and
 *   back-references (validation rejects these first), empty classes.
 */
import { rangesClassText, regexLiteral } from './lucene-regex.js';
import { regexClass } from './regex-class.js';

export type RegexTranslation = { readonly regex: string } | { readonly refused: string };

class Refusal extends Error {}

const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

/** The Lucene regular expression for the evaluator's `regex` search with `pattern`. */
export function translateRegex(pattern: string, caseSensitive: boolean): RegexTranslation {
  try {
    new RegExp(pattern, caseSensitive ? 'u' : 'iu');
  } catch (e) {
    return { refused: `not a valid regular expression (${(e as Error).message})` };
  }
  try {
    const parser = new Parser(pattern, caseSensitive ? 'u' : 'iu');
    const alternatives = parser.topLevel();
    const parts = alternatives.map((a) => `${a.start ? '' : '.*'}${a.body}${a.end ? '' : '.*'}`);
    return { regex: parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join('|') };
  } catch (e) {
    if (e instanceof Refusal) return { refused: e.message };
    throw e;
  }
}

interface Alternative {
  readonly start: boolean;
  readonly end: boolean;
  readonly body: string;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly flags: 'u' | 'iu',
  ) {}

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  /** Disjunction at the top: each alternative may start with `^` and end with `$`. */
  topLevel(): Alternative[] {
    const out: Alternative[] = [];
    for (;;) {
      let start = false;
      while (this.peek() === '^') {
        start = true;
        this.pos++;
      }
      const body = this.alternative(true);
      let end = false;
      while (this.peek() === '$') {
        end = true;
        this.pos++;
      }
      if (this.peek() !== undefined && this.peek() !== '|') {
        throw new Refusal(`the anchor before position ${this.pos} is not at the start or end of the pattern; Lucene has no anchors`);
      }
      out.push({ start, end, body: body === '' ? '()' : body });
      if (this.peek() === '|') {
        this.pos++;
        continue;
      }
      return out;
    }
  }

  private disjunction(): string {
    const alts = [this.alternative(false)];
    while (this.peek() === '|') {
      this.pos++;
      alts.push(this.alternative(false));
    }
    return alts.map((a) => (a === '' ? '()' : a)).join('|');
  }

  /** Terms up to `|`, `)` or the end; at the top level also stops at `$`. */
  private alternative(top: boolean): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return out;
      if (c === '$') {
        if (top) return out;
        throw new Refusal('`$` inside a group: Lucene has no anchors');
      }
      if (c === '^') throw new Refusal(top ? '`^` in the middle of the pattern: Lucene has no anchors' : '`^` inside a group: Lucene has no anchors');
      out += this.quantified(this.atom());
    }
  }

  private quantified(atom: string): string {
    const c = this.peek();
    let q = '';
    if (c === '*' || c === '+' || c === '?') {
      q = c;
      this.pos++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (m) {
        q = m[0];
        this.pos += m[0].length;
      }
    }
    if (q === '') return atom;
    if (this.peek() === '?') this.pos++; // lazy: same language
    return `${atom}${q}`;
  }

  private atom(): string {
    const c = this.peek()!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '.') {
      this.pos++;
      return this.set('.');
    }
    if (c === '\\') return this.escape();
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return this.literal(cp);
  }

  private group(): string {
    this.pos++;
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.pos += 2;
      else if (next === '<' && this.peek(2) !== '=' && this.peek(2) !== '!') {
        const close = this.src.indexOf('>', this.pos);
        this.pos = close + 1;
      } else throw new Refusal('lookaround `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)` has no Lucene equivalent');
    }
    const inner = this.disjunction();
    if (this.peek() !== ')') throw new Refusal('unbalanced parenthesis');
    this.pos++;
    return `(${inner === '' ? '()' : inner})`;
  }

  /** `[…]`: its exact character set, computed with JavaScript itself. */
  private charClass(): string {
    const start = this.pos;
    this.pos++;
    if (this.peek() === '^') this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new Refusal('unterminated character class');
      if (c === '\\') {
        this.pos += 2;
        if (this.src[this.pos - 1] === 'u' && this.peek() === '{') this.pos = this.src.indexOf('}', this.pos) + 1;
        continue;
      }
      this.pos++;
      if (c === ']') break;
    }
    return this.set(this.src.slice(start, this.pos));
  }

  private escape(): string {
    const start = this.pos;
    const c = this.peek(1);
    if (c === undefined) throw new Refusal('pattern ends with `\\`');
    if (c === 'b' || c === 'B') throw new Refusal('word boundaries (`\\b`, `\\B`) have no Lucene equivalent');
    if (/[1-9]/.test(c) || c === 'k') throw new Refusal('back-references have no Lucene equivalent');
    this.pos += 2;
    if ('dDwWsS'.includes(c)) return this.set(this.src.slice(start, this.pos));
    if (c === 'p' || c === 'P') {
      this.pos = this.src.indexOf('}', this.pos) + 1;
      return this.set(this.src.slice(start, this.pos));
    }
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };
    if (c in simple) return this.literal(simple[c]!);
    if (c === 'x') {
      this.pos += 2;
      return this.literal(parseInt(this.src.slice(start + 2, this.pos), 16));
    }
    if (c === 'u') {
      if (this.peek() === '{') {
        const close = this.src.indexOf('}', this.pos);
        const cp = parseInt(this.src.slice(this.pos + 1, close), 16);
        this.pos = close + 1;
        return this.literal(cp);
      }
      this.pos += 4;
      const unit = parseInt(this.src.slice(start + 2, this.pos), 16);
      if (unit >= 0xd800 && unit <= 0xdbff && this.src.startsWith('\\u', this.pos)) {
        const low = parseInt(this.src.slice(this.pos + 2, this.pos + 6), 16);
        if (low >= 0xdc00 && low <= 0xdfff) {
          this.pos += 6;
          return this.literal(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
        }
      }
      return this.literal(unit);
    }
    if (c === 'c') {
      const letter = this.src.charCodeAt(this.pos);
      this.pos++;
      return this.literal(letter % 32);
    }
    if (SYNTAX_CHARS.includes(c) || c === '-') return this.literal(c.codePointAt(0)!);
    throw new Refusal(`the escape \`\\${c}\` is not supported`);
  }

  private literal(cp: number): string {
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Refusal('a lone surrogate cannot occur in an indexed term');
    if (this.flags === 'u') return regexLiteral(cp);
    const escaped = `\\u{${cp.toString(16)}}`;
    return this.set(escaped);
  }

  private set(source: string): string {
    const text = rangesClassText(regexClass(source, this.flags));
    if (text === undefined) throw new Refusal(`\`${source}\` matches no character`);
    return text;
  }
}
