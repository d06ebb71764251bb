/**
 * Named lists: resolving `list` declarations (which may include other lists by name, as in
 * Falco) into flat scalar values, and list literals of `in [ … ]` likewise. Problems in a
 * declaration are reported once, however often the list is used.
 */
import { Codes } from '../diagnostics/codes.js';
import type { Span } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import type { ListDecl, ScalarValue } from '../syntax/ast.js';
import type { Reporter } from './report.js';
import type { Scalar } from './types.js';
import { describeValue, literalScalar, reportInexactNumber, scalarKey } from './values.js';

/** Resolves list names to their values; `null` stands for a list with errors (already reported). */
export class ListResolver {
  private readonly cache = new Map<string, readonly Scalar[] | null>();
  private readonly stack: string[] = [];
  private readonly reportedCycles = new Set<string>();

  constructor(
    private readonly lists: ReadonlyMap<string, ListDecl>,
    private readonly reporter: Reporter,
  ) {}

  /** Resolves every declared list, so problems in unused lists are reported too. */
  resolveAll(): void {
    for (const decl of this.lists.values()) this.resolveDecl(decl);
  }

  /**
   * The values of list `name`, referenced at `span`. Unknown names are reported (DET3011);
   * `null` when the list is unknown or broken.
   */
  resolve(name: string, span: Span): readonly Scalar[] | null {
    const decl = this.lists.get(name);
    if (decl === undefined) {
      const close = suggest(name, this.lists.keys());
      this.reporter.report(
        Codes.UnknownList,
        span,
        `unknown list \`${name}\``,
        close !== undefined
          ? `did you mean \`${close}\`?`
          : `declare it with \`list ${name} = [ … ]\`, or quote the word to use it as a string: ${JSON.stringify(name)}`,
      );
      return null;
    }
    const at = this.stack.indexOf(name);
    if (at >= 0) {
      const cycle = [...this.stack.slice(at), name];
      const key = [...new Set(cycle)].sort().join(',');
      if (!this.reportedCycles.has(key)) {
        this.reportedCycles.add(key);
        this.reporter.report(
          Codes.CyclicList,
          span,
          `list \`${name}\` refers to itself: ${cycle.join(' -> ')}`,
          `remove \`${name}\` from list \`${this.stack[this.stack.length - 1]}\`, or break the cycle elsewhere`,
        );
      }
      return null;
    }
    return this.resolveDecl(decl);
  }

  /**
   * The values of a list literal's items: string, number and boolean literals, and names of
   * lists (spliced in). Duplicates are dropped (first occurrence kept). `null` on errors.
   */
  items(items: readonly ScalarValue[]): readonly Scalar[] | null {
    const out: Scalar[] = [];
    const seen = new Set<string>();
    let broken = false;
    const push = (s: Scalar): void => {
      const k = scalarKey(s);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(s);
      }
    };
    for (const item of items) {
      const literal = literalScalar(item);
      if (literal !== undefined) {
        if (reportInexactNumber(item, this.reporter)) broken = true;
        else push(literal);
      } else if (item.kind === 'IdentifierValue') {
        const values = this.resolve(item.name, item.span);
        if (values === null) broken = true;
        else values.forEach(push);
      } else {
        broken = true;
        this.reporter.report(
          Codes.InvalidValue,
          item.span,
          `a list item must be a string, number, boolean or list name, not ${describeValue(item)}`,
          item.kind === 'Duration' ? `quote it to mean the text: "${item.text}"` : 'write a string, a number or a boolean',
        );
      }
    }
    return broken ? null : out;
  }

  private resolveDecl(decl: ListDecl): readonly Scalar[] | null {
    const name = decl.name.name;
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    this.stack.push(name);
    const values = this.items(decl.items);
    this.stack.pop();
    // A list inside a cycle may already have been cached as broken while unwinding.
    if (!this.cache.has(name)) this.cache.set(name, values);
    return this.cache.get(name) ?? null;
  }
}
