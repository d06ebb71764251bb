/**
 * The compiler pipeline as functions, shared by the commands, the tests and the benchmark:
 * inputs → read (strict UTF-8) → parseFile → lowerProgram → validateProgram → backends →
 * output writer. Every stage reports diagnostics instead of throwing; a stage with errors
 * stops the stages that would only add noise after it (syntax errors stop lowering; a front-end
 * error stops the backends). The backends hand each file to the output writer as they make it,
 * which stages it beside the output folder; only a run without any error commits, so a failed
 * compile never touches the output folder.
 *
 * File names in spans and output are relative to the working folder with `/` separators, so
 * generated files do not depend on where the project is checked out. Test event files are
 * resolved by lowering against `process.cwd()`, so `cwd` must be the process's working folder
 * when detections read event files.
 */
import { resolve } from 'node:path';
import { selectTargets, TARGET_REGISTRY, type AvailableTarget, type TargetSelection } from '../backends/index.js';
import type { AnalysisCache } from '../kusto/cache.js';
import { unknownProfile } from '../backends/elastic/profile.js';
import { mergeSharedTargetDiagnostics } from '../backends/merge-diagnostics.js';
import type { BackendOptions, FileSink } from '../backends/types.js';
import { Codes } from '../diagnostics/codes.js';
import { compareDiagnostics, pushAll, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { checkOutDir, isUnder, unsafePathReason } from '../emit/paths.js';
import { openOutput, type WriteResult } from '../emit/write-output.js';
import { whyLines } from '../eval/explain.js';
import { runTests, type TestResult } from '../eval/run-tests.js';
import { lowerProgram } from '../ir/lower.js';
import type { Program } from '../ir/types.js';
import { builtinSource, loadSourceFile } from '../source/load.js';
import type { SourceDefinition } from '../source/types.js';
import type { FileNode } from '../syntax/ast.js';
import { parseFile } from '../syntax/parse.js';
import { validateProgram } from '../validate/validate.js';
import { compareWithBase } from '../gate/compare.js';
import { projectRoots, readEventsFile, type EventsFileRead } from './events-file.js';
import { collectInputs, type InputFile } from './inputs.js';
import { readRegularFile } from '../io/read-file.js';
import { decodeUtf8, readText } from './read-text.js';

export interface PipelineOptions {
  /** The working folder: inputs are resolved against it and shown relative to it. */
  readonly cwd: string;
  /** Where Kusto verdicts are cached between runs (see `src/cli/cache.ts`); none when absent. */
  readonly kustoCache?: AnalysisCache;
}

/** What the front end (everything before the backends) produced. */
export interface FrontEndResult {
  /** Every diagnostic so far, sorted. */
  readonly diagnostics: Diagnostic[];
  /** Text of every file read, by the name used in spans (for code frames). */
  readonly sources: Map<string, string>;
  readonly files: FileNode[];
  readonly source?: SourceDefinition;
  /** The absolute path of the `*.source.yaml` that `source` was loaded from (absent: the built-in). */
  readonly sourceFile?: string;
  /** Present when lowering ran (no syntax errors); holds the detections without errors. */
  readonly program?: Program;
  /** Why the command stopped before checking every detection (see `Report.unchecked`). */
  readonly unchecked?: string;
}

/** Whether `diagnostics` holds an error (warnings do not count). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function sorted(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(compareDiagnostics);
}

/** The source definition: the one `*.source.yaml` among the inputs, else the built-in one. */
export function loadSource(
  sourceFiles: readonly InputFile[],
  sources: Map<string, string>,
): { source?: SourceDefinition; diagnostics: Diagnostic[] } {
  if (sourceFiles.length === 0) return { source: builtinSource(), diagnostics: [] };
  if (sourceFiles.length > 1) {
    return {
      diagnostics: [
        {
          code: Codes.InvalidSource.code,
          severity: 'error',
          message: `more than one source definition given: ${sourceFiles.map((f) => f.path).join(', ')}`,
          hint: 'a run compiles against one source; keep one *.source.yaml among the inputs',
        },
      ],
    };
  }
  const file = sourceFiles[0] as InputFile;
  const read = readText(file.absPath, file.path);
  const text = read.text ?? read.lossyText;
  if (text !== undefined) sources.set(file.path, text);
  if (read.text === undefined) return { diagnostics: read.diagnostics };
  return loadSourceFile(file.path);
}

/** Reads and parses every detection file. */
export function parseInputs(
  detFiles: readonly InputFile[],
  sources: Map<string, string>,
): { files: FileNode[]; diagnostics: Diagnostic[] } {
  const files: FileNode[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of detFiles) {
    const read = readText(f.absPath, f.path);
    pushAll(diagnostics, read.diagnostics);
    if (read.text === undefined) {
      if (read.lossyText !== undefined) sources.set(f.path, read.lossyText);
      continue;
    }
    sources.set(f.path, read.text);
    const parsed = parseFile(read.text, f.path);
    files.push(parsed.ast);
    pushAll(diagnostics, parsed.diagnostics);
  }
  return { files, diagnostics };
}

/** Inputs → source → parse → lower → validate. */
export function frontEnd(paths: readonly string[], options: PipelineOptions): FrontEndResult {
  const sources = new Map<string, string>();
  const inputs = collectInputs(paths, options.cwd);
  const diagnostics: Diagnostic[] = [...inputs.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics: sorted(diagnostics), sources, files: [] };

  const loaded = loadSource(inputs.sourceFiles, sources);
  pushAll(diagnostics, loaded.diagnostics);
  const parsed = parseInputs(inputs.detFiles, sources);
  pushAll(diagnostics, parsed.diagnostics);
  const source = loaded.source;
  if (source === undefined || hasErrors(diagnostics)) {
    return { diagnostics: sorted(diagnostics), sources, files: parsed.files, ...(source ? { source } : {}) };
  }

  // A test events file with a bad line joins the sources, so the line is shown with its code frame.
  const eventTexts = new Map<string, string>();
  const roots = projectRoots(inputs.detFiles.map((f) => f.absPath), options.cwd);
  const readEvents = (absPath: string): EventsFileRead => {
    const text = readEventsFile(absPath, roots);
    if (typeof text === 'string') eventTexts.set(absPath, text);
    return text;
  };
  const lowered = lowerProgram(parsed.files, source, readEvents);
  for (const d of lowered.diagnostics) {
    const file = d.span?.file;
    if (file === undefined || sources.has(file)) continue;
    const text = eventTexts.get(resolve(options.cwd, file));
    if (text !== undefined) sources.set(file, text);
  }
  pushAll(diagnostics, lowered.diagnostics);
  pushAll(diagnostics, validateProgram(lowered.program, source, parsed.files));
  const sourceFile = inputs.sourceFiles[0]?.absPath;
  return { diagnostics: sorted(diagnostics), sources, files: parsed.files, source, ...(sourceFile !== undefined ? { sourceFile } : {}), program: lowered.program };
}

/**
 * Runs `targets`' backends over a valid program, handing every file to `sink` (by default
 * dropping it: `validate` wants only the diagnostics). A file outside its target's folder is a
 * backend bug (throws); a path leaving the output folder is refused by the output writer.
 */
export function runBackends(
  program: Program,
  source: SourceDefinition,
  targets: readonly AvailableTarget[],
  options: BackendOptions,
  sink: FileSink = () => {},
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const t of targets) {
    const found = t.backend.emit(program, source, options, (f) => {
      if (unsafePathReason(f.path) === undefined && !isUnder(f.path, t.root)) {
        throw new Error(`backend '${t.target}' emitted '${f.path}', outside its folder '${t.root}/'`);
      }
      sink(f);
    });
    pushAll(diagnostics, found);
  }
  return sorted(mergeSharedTargetDiagnostics(diagnostics));
}

/** DET6008 when `profile` is not one of the source's Elastic profiles. */
export function checkElasticProfile(profile: string | undefined, source: SourceDefinition): Diagnostic[] {
  return profile === undefined || Object.hasOwn(source.elastic.profiles, profile) ? [] : [unknownProfile(source, profile)];
}

export interface CompileOptions extends PipelineOptions {
  readonly target: TargetSelection;
  /** Output folder, relative to `cwd`. */
  readonly out: string;
  readonly elasticProfile?: string;
}

export interface CompileResult {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, string>;
  readonly notes: string[];
  readonly program?: Program;
  /** Present when the output folder was written (successfully or not). */
  readonly write?: WriteResult;
}

/** `detect compile`: the whole pipeline; writes `out` only when there is no error. */
export function compile(paths: readonly string[], options: CompileOptions): CompileResult {
  const selected = selectTargets(options.target);
  const notes = [...selected.notes];
  const early = [...selected.diagnostics, ...checkOutDir(options.out, options.cwd)];
  if (hasErrors(early)) return { diagnostics: sorted(early), sources: new Map(), notes: [] };

  // Only these parts of the front end's result are kept: the syntax trees, which the backends
  // do not need, can be collected while they run.
  const { diagnostics: found, sources, program, source } = frontEnd(paths, options);
  const diagnostics = [...found];
  if (source) pushAll(diagnostics, checkElasticProfile(options.elasticProfile, source));
  if (hasErrors(diagnostics) || !program || !source) {
    return { diagnostics: sorted(diagnostics), sources, notes, ...(program ? { program } : {}) };
  }
  const backendOptions: BackendOptions = {
    ...(options.elasticProfile !== undefined ? { elasticProfile: options.elasticProfile } : {}),
    ...(options.kustoCache ? { kustoCache: options.kustoCache } : {}),
  };
  // The files go into the output folder's staging folder as the backends make them; any error
  // (the backends', or the folder's) discards them all and leaves the output folder as it was.
  const roots = selected.targets.map((t) => TARGET_REGISTRY[t.target].root);
  const opened = openOutput(options.out, roots, { cwd: options.cwd });
  const writer = 'writer' in opened ? opened.writer : undefined;
  let write: WriteResult | undefined;
  try {
    pushAll(diagnostics, runBackends(program, source, selected.targets, backendOptions, writer ? (f) => writer.add(f) : undefined));
    // the folder's own problem (e.g. DET6010, locked) only when the detections compiled
    if ('failed' in opened && !hasErrors(diagnostics)) pushAll(diagnostics, opened.failed.diagnostics);
    if (writer && !hasErrors(diagnostics)) {
      write = writer.commit();
      pushAll(diagnostics, write.diagnostics);
    }
  } finally {
    writer?.abort();
  }
  return { diagnostics: sorted(diagnostics), sources, notes, program, ...(write ? { write } : {}) };
}

export interface ValidateOptions extends PipelineOptions {
  /** A git revision to compare the detections with (the pull-request gate, `src/gate`). */
  readonly base?: string;
  /** The targets checked against: their limits and what they cannot express (default `all`; `ir`: none). */
  readonly target?: TargetSelection;
  /** The Elastic field profile the Elastic targets are checked with (default: the source's). */
  readonly elasticProfile?: string;
}

/**
 * `detect validate`: the front end, then the backends of `target` (default all) in memory
 * (nothing is written) so target-specific problems are reported too. With `base`, the valid detections are
 * also compared with the same paths at that git revision (changed ids, reused ids, a changed
 * query without a higher version).
 */
export function validate(paths: readonly string[], options: ValidateOptions): FrontEndResult {
  const front = frontEnd(paths, options);
  if (!front.program || !front.source) {
    // (no note when there was nothing to check: a missing path, no .det file)
    return hasErrors(front.diagnostics) && front.files.length > 0
      ? { ...front, unchecked: 'validation stopped at these errors, before checking fields, ATT&CK ids and targets: fix them and run again' }
      : front;
  }
  const gate =
    options.base !== undefined
      ? compareWithBase({
          paths,
          cwd: options.cwd,
          base: options.base,
          program: front.program,
          source: front.source,
          ...(front.sourceFile !== undefined ? { sourceFile: front.sourceFile } : {}),
          ...(options.elasticProfile !== undefined ? { elasticProfile: options.elasticProfile } : {}),
          files: front.files,
        })
      : [];
  const profile = checkElasticProfile(options.elasticProfile, front.source);
  if (hasErrors(front.diagnostics) || hasErrors(profile)) {
    return { ...front, diagnostics: sorted([...front.diagnostics, ...profile, ...gate]), unchecked: 'the target checks did not run because of these errors: fix them and run again' };
  }
  const targets = selectTargets(options.target ?? 'all').targets.filter((t) => t.checkedByValidate);
  const checked = runBackends(front.program, front.source, targets, {
    ...(options.kustoCache ? { kustoCache: options.kustoCache } : {}),
    ...(options.elasticProfile !== undefined ? { elasticProfile: options.elasticProfile } : {}),
  });
  return { ...front, diagnostics: sorted([...front.diagnostics, ...checked, ...gate]) };
}

/** The files and detections of a run, for report forms with one entry per detection (JUnit). */
export function reportUnits(front: FrontEndResult): { files: string[]; detections: { name: string; span: Span }[]; notes?: string[]; unchecked?: string } {
  const files = new Set<string>(front.files.map((f) => f.path));
  for (const name of front.sources.keys()) if (name.endsWith('.det')) files.add(name);
  const detections = front.files.flatMap((f) =>
    f.blocks.flatMap((b) => (b.kind === 'Detection' ? [{ name: b.name.name, span: b.span }] : [])),
  );
  return { files: [...files].sort(), detections, ...(front.unchecked !== undefined ? { notes: [front.unchecked], unchecked: front.unchecked } : {}) };
}

export interface TestRunResult extends FrontEndResult {
  /** Present when the tests ran (the front end had no error). */
  readonly tests?: TestResult[];
}

/**
 * A DET4001 diagnostic for a failed test case, at the test, with why it failed (the
 * comparisons that decided it and the events' values, see `src/eval/explain.ts`) as its details.
 */
export function testFailure(result: TestResult): Diagnostic {
  const diagnostic = testFailureMessage(result);
  return result.why ? { ...diagnostic, details: whyLines(result.why, result.lines) } : diagnostic;
}

function testFailureMessage(result: TestResult): Diagnostic {
  if (result.undecided) {
    const t = result.undecided;
    return {
      code: Codes.TestUndecided.code,
      severity: 'error',
      message: `test "${result.test}" of ${result.detection} is undecided: ${t.message} (the evaluator backtracks, as JavaScript does)`,
      span: result.span,
      hint: 'rewrite the pattern without nested or chained repetitions that can match the same text (`^.*x$`, not `^(.*)*x$`); the compiled queries are not affected (RE2 and Lucene do not backtrack)',
    };
  }
  const alerts = `${result.alerts} alert${result.alerts === 1 ? '' : 's'}`;
  return result.expect === 'match'
    ? {
        code: Codes.TestFailed.code,
        severity: 'error',
        message: `test "${result.test}" of ${result.detection} expects a match, but the detection raised no alert`,
        span: result.span,
        hint: 'check the condition against the events (comparisons are case-sensitive unless marked nocase) or fix the events',
      }
    : {
        code: Codes.TestFailed.code,
        severity: 'error',
        message: `test "${result.test}" of ${result.detection} expects no match, but the detection raised ${alerts}`,
        span: result.span,
        hint: 'narrow the condition so these events do not match, or write the test as `matches` if the alert is wanted',
      };
}

/** `detect test`: the front end, then every test case; failures become DET4001. */
export function test(paths: readonly string[], options: PipelineOptions): TestRunResult {
  const front = frontEnd(paths, options);
  if (hasErrors(front.diagnostics) || !front.program || !front.source) {
    return front.files.length > 0 ? { ...front, unchecked: 'the tests did not run because of these errors: fix them and run again' } : front;
  }
  const tests = runTests(front.program, front.source);
  const failures = tests.filter((t) => !t.passed).map(testFailure);
  return { ...front, diagnostics: sorted([...front.diagnostics, ...failures]), tests };
}
