/**
 * Runs the test cases written next to each detection through the reference evaluator.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type { Program } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';
import { alerts, type Alert } from './detection.js';
import { whyFailed, type Why } from './explain.js';
import { RegexTimeout } from './regex.js';

export interface TestResult {
  /** `Detection.name`. */
  readonly detection: string;
  /** `TestCase.name`. */
  readonly test: string;
  readonly expect: 'match' | 'no-match';
  /** The detection raised at least one alert iff `expect` is `match`. */
  readonly passed: boolean;
  /** How many alerts the detection raised over the test's events. */
  readonly alerts: number;
  readonly span: Span;
  /**
   * Present when the evaluator could not decide (a regular expression backtracked past its time
   * limit, see `regex.ts`): why. The case is then not passed.
   */
  readonly undecided?: RegexTimeout;
  /** For a failed (decided) case: the comparisons and events behind the verdict (see `explain.ts`). */
  readonly why?: Why;
  /** `TestCase.lines`: for events from a file, the line of each, to name them by in `why`. */
  readonly lines?: readonly number[];
}

/**
 * Evaluates every test case of every detection in `program`: a `match` case passes when the
 * detection raises at least one alert over its events, a `no-match` case when it raises none; a
 * case whose regular expression search runs past its time limit is undecided (not passed).
 * Results are sorted by detection name (code-point order), then in the order the tests are written.
 */
export function runTests(program: Program, source: SourceDefinition): TestResult[] {
  const detections = [...program.detections].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const results: TestResult[] = [];
  for (const detection of detections) {
    for (const test of detection.tests) {
      let raised: Alert[];
      try {
        raised = alerts(detection, test.events, source);
      } catch (e) {
        if (!(e instanceof RegexTimeout)) throw e;
        results.push({ detection: detection.name, test: test.name, expect: test.expect, passed: false, alerts: 0, span: test.span, undecided: e });
        continue;
      }
      const passed = test.expect === 'match' ? raised.length > 0 : raised.length === 0;
      const why = passed ? undefined : whyFailed(detection, test, source, raised);
      results.push({
        detection: detection.name,
        test: test.name,
        expect: test.expect,
        passed,
        alerts: raised.length,
        span: test.span,
        ...(why ? { why } : {}),
        ...(why && test.lines ? { lines: test.lines } : {}),
      });
    }
  }
  return results;
}
