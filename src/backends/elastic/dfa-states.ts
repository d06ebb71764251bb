/**
 * How many states a deterministic automaton for a Lucene regular expression needs, up to a
 * limit. Elasticsearch turns a `regexp` query (and `/…/` in a query string) into a
 * deterministic automaton and refuses the query when that takes more than
 * `max_determinized_states` (10,000 by default): the search fails at every run of the rule. An
 * unanchored search with a bounded repetition of a broad class (`curl.{0,40}sh`, written
 * `.*curl.{0,40}sh.*`) needs exponentially many states.
 *
 * The count is the subset construction of a Thompson automaton for the expression, over the
 * code points. Lucene builds its automaton differently (and minimizes parts of it), so near the
 * limit its count can differ from this one; `test/engine` compares the two verdicts with
 * Lucene 8 on a corpus of expressions.
 *
 * Only the syntax `lucene-regex.ts` and `regex.ts` write is read: literals (`\` escapes any
 * character), `.`, classes `[…]` and `[^…]` with ranges, groups, `|`, and `* + ? {n} {n,} {n,m}`.
 */
import { MAX_CODE_POINT } from './ranges.js';

/** Elasticsearch's default `max_determinized_states` of a `regexp` query. */
export const MAX_DETERMINIZED_STATES = 10000;

/**
 * The count above which a regular expression is refused: half of Elasticsearch's limit, as
 * Lucene's count of its own automaton (built piece by piece) runs higher than this one; with
 * this margin every expression Lucene 8 refused in `test/engine/regex-states.test.ts` is refused.
 */
export const REFUSE_ABOVE_STATES = MAX_DETERMINIZED_STATES / 2;

/** Work (range ends swept, states visited for closures) after which the count stops and reports the limit passed. */
const WORK_BUDGET = 300_000;

type Range = readonly [number, number];

interface Nfa {
  /** transitions[s]: [from, to, target] on a code point in from..to */
  readonly edges: [number, number, number][][];
  /** epsilon[s]: targets without input */
  readonly epsilon: number[][];
}

/** A fragment of the automaton: its start and end states. */
interface Fragment {
  readonly start: number;
  readonly end: number;
}

type Node =
  | { readonly kind: 'set'; readonly ranges: readonly Range[] }
  | { readonly kind: 'seq'; readonly items: readonly Node[] }
  | { readonly kind: 'alt'; readonly items: readonly Node[] }
  | { readonly kind: 'repeat'; readonly item: Node; readonly min: number; readonly max: number };

const ANY: readonly Range[] = [[0, MAX_CODE_POINT]];

/** Parses the Lucene regular expressions this project writes. */
class Reader {
  private pos = 0;
  private readonly cps: number[];

  constructor(text: string) {
    this.cps = Array.from(text, (c) => c.codePointAt(0)!);
  }

  parse(): Node {
    const n = this.alternation();
    if (this.pos < this.cps.length) throw new Error(`unexpected '${String.fromCodePoint(this.cps[this.pos]!)}' at ${this.pos}`);
    return n;
  }

  private peek(): string | undefined {
    const cp = this.cps[this.pos];
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { kind: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) items.push(this.quantified(this.atom()));
    return { kind: 'seq', items };
  }

  private atom(): Node {
    const c = this.peek()!;
    this.pos++;
    if (c === '(') {
      const inner = this.alternation();
      if (this.peek() !== ')') throw new Error('unclosed group');
      this.pos++;
      return inner;
    }
    if (c === '.') return { kind: 'set', ranges: ANY };
    if (c === '[') return this.charClass();
    if (c === '\\') return { kind: 'set', ranges: [this.literal()] };
    const cp = c.codePointAt(0)!;
    return { kind: 'set', ranges: [[cp, cp]] };
  }

  private literal(): Range {
    const cp = this.cps[this.pos++];
    if (cp === undefined) throw new Error('escape at the end');
    return [cp, cp];
  }

  private charClass(): Node {
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const ranges: [number, number][] = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw new Error('unclosed class');
      const from = this.classChar();
      if (this.peek() === '-' && this.cps[this.pos + 1] !== undefined && String.fromCodePoint(this.cps[this.pos + 1]!) !== ']') {
        this.pos++;
        ranges.push([from, this.classChar()]);
      } else ranges.push([from, from]);
    }
    this.pos++;
    return { kind: 'set', ranges: negated ? complement(ranges) : ranges };
  }

  private classChar(): number {
    if (this.peek() === '\\') this.pos++;
    const cp = this.cps[this.pos++];
    if (cp === undefined) throw new Error('unclosed class');
    return cp;
  }

  private quantified(item: Node): Node {
    let node = item;
    for (;;) {
      const c = this.peek();
      if (c === '*') node = { kind: 'repeat', item: node, min: 0, max: Infinity };
      else if (c === '+') node = { kind: 'repeat', item: node, min: 1, max: Infinity };
      else if (c === '?') node = { kind: 'repeat', item: node, min: 0, max: 1 };
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...this.cps.slice(this.pos, this.pos + 24)));
        if (!m) throw new Error('malformed repetition');
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        node = { kind: 'repeat', item: node, min, max };
        this.pos += m[0].length - 1;
      } else return node;
      this.pos++;
    }
  }
}

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [a, b] of sorted) {
    if (a > next) out.push([next, a - 1]);
    next = Math.max(next, b + 1);
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** More automaton states than any expression Elasticsearch accepts could need. */
class TooBig extends Error {}

/**
 * Automaton states after which construction stops: Lucene refuses a counted repetition whose
 * copies pass its limit (`(states - 1) * max`), and nested counts (`((a{1000}){1000}){1000}`)
 * multiply.
 */
const MAX_NFA_STATES = 20 * MAX_DETERMINIZED_STATES;

/** Thompson's construction. */
class Builder {
  readonly nfa: Nfa = { edges: [], epsilon: [] };

  state(): number {
    if (this.nfa.edges.length >= MAX_NFA_STATES) throw new TooBig();
    this.nfa.edges.push([]);
    this.nfa.epsilon.push([]);
    return this.nfa.edges.length - 1;
  }

  build(n: Node): Fragment {
    switch (n.kind) {
      case 'set': {
        const start = this.state();
        const end = this.state();
        for (const [a, b] of n.ranges) this.nfa.edges[start]!.push([a, b, end]);
        return { start, end };
      }
      case 'seq': {
        const start = this.state();
        let end = start;
        for (const item of n.items) {
          const f = this.build(item);
          this.nfa.epsilon[end]!.push(f.start);
          end = f.end;
        }
        return { start, end };
      }
      case 'alt': {
        const start = this.state();
        const end = this.state();
        for (const item of n.items) {
          const f = this.build(item);
          this.nfa.epsilon[start]!.push(f.start);
          this.nfa.epsilon[f.end]!.push(end);
        }
        return { start, end };
      }
      case 'repeat': {
        const start = this.state();
        let end = start;
        for (let i = 0; i < n.min; i++) {
          const f = this.build(n.item);
          this.nfa.epsilon[end]!.push(f.start);
          end = f.end;
        }
        if (n.max === Infinity) {
          const f = this.build(n.item);
          this.nfa.epsilon[end]!.push(f.start);
          this.nfa.epsilon[f.end]!.push(f.start);
          const out = this.state();
          this.nfa.epsilon[end]!.push(out);
          this.nfa.epsilon[f.end]!.push(out);
          return { start, end: out };
        }
        const out = this.state();
        for (let i = n.min; i < n.max; i++) {
          this.nfa.epsilon[end]!.push(out);
          const f = this.build(n.item);
          this.nfa.epsilon[end]!.push(f.start);
          end = f.end;
        }
        this.nfa.epsilon[end]!.push(out);
        return { start, end: out };
      }
    }
  }
}

/**
 * The number of states of the deterministic automaton for `regex` (a Lucene regular
 * expression as this project writes it), or `limit + 1` as soon as it needs more than `limit`
 * (or when building or counting it takes more work than a budget: automata that big are beyond
 * Lucene's limit too).
 */
export function determinizedStates(regex: string, limit = REFUSE_ABOVE_STATES): number {
  try {
    return count(regex, limit);
  } catch (e) {
    if (e instanceof TooBig) return limit + 1;
    throw e;
  }
}

function count(regex: string, limit: number): number {
  const builder = new Builder();
  const root = builder.build(new Reader(regex).parse());
  const nfa = builder.nfa;
  let work = 0;
  // a subset is told apart by its states that read input, and by whether it accepts
  const live = (s: number): boolean => nfa.edges[s]!.length > 0 || s === root.end;
  const closures = new Map<number, number[]>();
  /** The live states reachable from `s` without input (computed when first needed). */
  const closure = (s: number): number[] => {
    let c = closures.get(s);
    if (c) return c;
    const seen = new Set<number>([s]);
    const stack = [s];
    while (stack.length > 0) {
      for (const t of nfa.epsilon[stack.pop()!]!) {
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
      }
    }
    work += seen.size;
    if (work > WORK_BUDGET) throw new TooBig();
    c = [...seen].filter(live);
    closures.set(s, c);
    return c;
  };
  const subset = (from: Iterable<number>): number[] => {
    const set = new Set<number>();
    for (const s of from) for (const t of closure(s)) set.add(t);
    return [...set].sort((a, b) => a - b);
  };
  const first = subset([root.start]);
  const seen = new Set<string>([first.join(',')]);
  const queue = [first];
  while (queue.length > 0) {
    const set = queue.pop()!;
    // sweep the edges' ranges: +target where a range starts, -target after it ends
    const events: [number, number, number][] = [];
    for (const s of set) for (const [a, b, t] of nfa.edges[s]!) events.push([a, 1, t], [b + 1, -1, t]);
    if (events.length === 0) continue;
    work += events.length;
    if (work > WORK_BUDGET) return limit + 1;
    events.sort((x, y) => x[0] - y[0]);
    const active = new Map<number, number>();
    for (let i = 0; i < events.length; ) {
      const at = events[i]![0];
      for (; i < events.length && events[i]![0] === at; i++) {
        const [, d, t] = events[i]!;
        const n = (active.get(t) ?? 0) + d;
        if (n === 0) active.delete(t);
        else active.set(t, n);
      }
      if (active.size === 0 || i >= events.length) continue;
      const next = subset(active.keys());
      const key = next.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size > limit) return limit + 1;
      queue.push(next);
    }
  }
  return seen.size;
}
