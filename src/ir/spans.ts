/**
 * Span arithmetic for pointing at one token inside a larger node.
 */
import type { Span } from '../diagnostics/diagnostic.js';

/**
 * The span of the keyword `word` that starts `span` (members such as `condition:` start with
 * their keyword, on one line).
 */
export function keywordSpan(span: Span, word: string): Span {
  return {
    file: span.file,
    start: span.start,
    end: { offset: span.start.offset + word.length, line: span.start.line, column: span.start.column + word.length },
  };
}
