/**
 * The pull-request gate (`detect validate --base <ref>`): the detections of the working tree
 * compared with the same paths at a git revision (a detection whose file moved is found by its
 * id and name anywhere in the repository at the revision).
 *
 * - DET3020: a detection (same name) whose `id` changed. Sentinel and Kibana key rules on the
 *   id: a new id deploys a second rule beside the old one.
 * - DET3021: an id that belonged to a different detection at the base, which still exists (or
 *   whose name this detection did not take over). A detection renamed with its id kept (the old
 *   name gone, the new one unknown at the base) is no reuse: Sentinel and Kibana key the rule on
 *   the id, so the deployed rule is updated; it is compared with its old self like any other.
 * - DET3022: a detection whose compiled query changed while its `version` did not increase.
 *   "The compiled query" is what every backend's query and schedule are generated from: the
 *   IR's `match` (conditions, threshold, sequence), `schedule`, `suppression`, `output` and
 *   `entities` (the KQL query projects their columns), spans left out (moving lines changes
 *   nothing), and the source facts these compile with (`./source-slice.ts`: the fields' columns
 *   and Elastic mappings, rule aliases, cluster recognition), the base's taken from its own
 *   source definition (`./base-source.ts`). Metadata (title, description, tags, tests)
 *   may change without a new version.
 * - DET3023 (warning): a detection of the base whose id no longer exists (the deployed rule is
 *   not deleted by detect).
 *
 * - DET3025: a detection whose query did not change but whose `version` went down. The
 *   deployed rule carries the base's version; an artifact with a lower one for the same logic
 *   reads as an older rule to reviewers and to tooling that orders rules by version.
 *
 * - DET3024 (warning): a detection that the base declares but that does not lower there, or
 *   that moved from a place where a list or macro name is defined twice, so it could not be
 *   compared; also (without a position) a source definition of the base that cannot be used,
 *   when the working tree's stands in for it.
 *
 * New detections are fine.
 */
import { realpathSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { Codes, type CodeInfo } from '../diagnostics/codes.js';
import { pushAll, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import { lowerProgram } from '../ir/lower.js';
import type { Detection, Program } from '../ir/types.js';
import type { SourceDefinition } from '../source/types.js';
import type { DetectionDecl, FileNode } from '../syntax/ast.js';
import { parseFile } from '../syntax/parse.js';
import { baseSource } from './base-source.js';
import { BaseUnavailable, GitRevision } from './git.js';
import { changedDefinitions, changedParts, definitionsOf } from './changes.js';
import { SourceFacts, sliceChanges } from './source-slice.js';

/** The codes this comparison reports (the 302x block of the catalog). */
export const GATE_CODES: readonly string[] = [
  Codes.IdChanged.code,
  Codes.IdReused.code,
  Codes.VersionNotIncreased.code,
  Codes.DetectionRemoved.code,
  Codes.BaseNotCompared.code,
  Codes.VersionDecreased.code,
];

export interface GateInput {
  /** The paths given on the command line, relative to `cwd`. */
  readonly paths: readonly string[];
  readonly cwd: string;
  /** The git revision to compare with. */
  readonly base: string;
  /** The working tree's valid detections and their source. */
  readonly program: Program;
  readonly source: SourceDefinition;
  /** The absolute path of the working tree's `*.source.yaml` (absent: the built-in source). */
  readonly sourceFile?: string;
  /** The Elastic profile the run uses (`--elastic-profile`; absent: the source's default). */
  readonly elasticProfile?: string;
  /** The working tree's parsed files (for the spans of `id` and `version`). */
  readonly files: readonly FileNode[];
}

function normId(id: string): string {
  return id.trim().toLowerCase();
}

/** The detections at `base`, lowered in memory, and those that did not lower there. */
export interface BaseProgram {
  readonly program: Program;
  /** Detections the base's files declare that did not lower, by name: the first error about each. */
  readonly unlowered: ReadonlyMap<string, Diagnostic | undefined>;
  /** Every diagnostic of parsing and lowering the base's files. */
  readonly diagnostics: readonly Diagnostic[];
  /** The base's parsed files. */
  readonly files: readonly FileNode[];
}

/** The detections at `base`, lowered in memory. */
export function baseProgram(revision: GitRevision, paths: readonly string[], source: SourceDefinition): BaseProgram {
  const files: FileNode[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const repoPath of revision.listFiles(paths)) {
    if (!repoPath.endsWith('.det')) continue;
    const text = revision.readFile(repoPath);
    if (text === undefined) continue;
    // Named by its path as in the working tree, so its `file "…"` tests resolve to paths that
    // `readAbsolute` reads at the revision (a `REF:` prefix made them unreadable: the detection
    // then failed to lower at the base and was never compared).
    const parsed = parseFile(text, revision.displayName(repoPath));
    files.push(parsed.ast);
    pushAll(diagnostics, parsed.diagnostics);
  }
  const lowered = lowerProgram(files, source, (abs) => revision.readAbsolute(abs));
  pushAll(diagnostics, lowered.diagnostics);
  const names = new Set(lowered.program.detections.map((d) => d.name));
  const unlowered = new Map<string, Diagnostic | undefined>();
  for (const f of files) {
    for (const b of f.blocks) {
      if (b.kind !== 'Detection' || names.has(b.name.name) || unlowered.has(b.name.name)) continue;
      const inside = (d: Diagnostic): boolean => {
        const at = d.origin ?? d.span; // a bad line of a test's events file counts at the test
        return d.severity === 'error' && at?.file === b.span.file && at.start.offset >= b.span.start.offset && at.start.offset < b.span.end.offset;
      };
      unlowered.set(b.name.name, diagnostics.find(inside) ?? diagnostics.find((d) => d.severity === 'error'));
    }
  }
  return { program: lowered.program, unlowered, diagnostics, files };
}

/** The declaration of `d` among `files`. */
function declOf(files: readonly FileNode[], d: Detection): DetectionDecl | undefined {
  for (const f of files) {
    for (const b of f.blocks) if (b.kind === 'Detection' && b.name.name === d.name && b.span.file === d.span.file) return b;
  }
  return undefined;
}

function propertySpan(files: readonly FileNode[], d: Detection, key: string): Span {
  const decl = declOf(files, d);
  if (decl === undefined) return d.span;
  const prop = decl.members.find((m) => m.kind === 'Property' && m.key.name === key);
  return prop ? prop.span : decl.name.span;
}

/** Why a compiled query changed, for DET3022: its parts, the lists and macros behind them, the source. */
function whatChanged(parts: readonly string[], definitions: readonly string[], source: readonly string[]): string {
  const out: string[] = [];
  if (parts.length > 0) out.push(`${parts.join(', ')} changed${definitions.length > 0 ? `, through ${definitions.join(', ')}` : ''}`);
  if (source.length > 0) out.push(`the source definition changed ${source.join(', ')}`);
  return out.join('; ');
}

function error(code: CodeInfo, span: Span | undefined, message: string, hint: string): Diagnostic {
  return { code: code.code, severity: code.severity, message, ...(span ? { span } : {}), hint };
}

/** A moved detection's version at the base, or why it could not be lowered there alone. */
type Moved = { readonly before: Detection } | { readonly ambiguous: Diagnostic };

/**
 * `found`, a detection of the whole repository at the base, lowered again with the files nearest
 * to it (`file`, absolute): its own file, then its folder, then each folder above, the first
 * where it lowers. The repository may hold other sets of detections (a staging folder) defining
 * the same list or macro names, and one program of them all takes the first definition, maybe
 * another set's: a name defined twice where it lowers leaves it uncompared (DET3024), never
 * compared with that. `lowerAt` lowers the base's files below a path (each path once).
 */
function lowerNearest(found: Detection, file: string, revision: GitRevision, lowerAt: (scope: string) => BaseProgram): Moved {
  let scope = file;
  for (;;) {
    const lowered = lowerAt(scope);
    const twice = lowered.diagnostics.find((x) => x.code === Codes.DuplicateName.code);
    if (twice) return { ambiguous: twice };
    const before = lowered.program.detections.find((x) => x.name === found.name && normId(x.id) === normId(found.id));
    if (before) return { before };
    const up = dirname(scope);
    if (up === scope || relative(revision.top, up).startsWith('..')) return { before: found };
    scope = up;
  }
}

/**
 * The base versions of detections the given paths did not hold at the base (their file was
 * moved or renamed, or the paths name the new place only): found anywhere in the repository at
 * the base by the same id and name, and lowered with the files nearest to them. Read only when
 * some detection is missing at the paths.
 */
function movedDetections(input: GateInput, base: Program, revision: GitRevision, source: SourceDefinition): Map<string, Moved> {
  const known = new Set(base.detections.map((d) => d.name));
  const missing = input.program.detections.filter((d) => !known.has(d.name));
  if (missing.length === 0) return new Map();
  // The base lowered below each path asked for: moved detections of one folder share its lowering.
  const byScope = new Map<string, BaseProgram>();
  const lowerAt = (scope: string): BaseProgram => {
    let lowered = byScope.get(scope);
    if (lowered === undefined) {
      lowered = baseProgram(revision, [scope], source);
      byScope.set(scope, lowered);
    }
    return lowered;
  };
  let wide: Program;
  try {
    wide = lowerAt(revision.top).program;
  } catch (e) {
    if (e instanceof BaseUnavailable) return new Map();
    throw e;
  }
  const cwd = realpathSync(input.cwd);
  const byId = new Map(wide.detections.map((d) => [normId(d.id), d]));
  const out = new Map<string, Moved>();
  for (const d of missing) {
    const found = byId.get(normId(d.id));
    if (found && found.name === d.name) out.set(d.name, lowerNearest(found, resolve(cwd, found.span.file), revision, lowerAt));
  }
  return out;
}

/** The gate's diagnostics; DET6009 (a usage error) when the base cannot be read. */
export function compareWithBase(input: GateInput): Diagnostic[] {
  let base: Program;
  let unlowered: ReadonlyMap<string, Diagnostic | undefined>;
  let baseFiles: readonly FileNode[];
  let revision: GitRevision;
  let atBase: ReturnType<typeof baseSource>;
  try {
    revision = GitRevision.open(input.base, input.cwd);
    atBase = baseSource(revision, input.paths, input.source, input.sourceFile);
    ({ program: base, unlowered, files: baseFiles } = baseProgram(revision, input.paths, atBase.source));
  } catch (e) {
    if (!(e instanceof BaseUnavailable)) throw e;
    return [
      error(
        Codes.BaseUnavailable,
        undefined,
        `cannot compare with --base ${input.base}: ${e.message}`,
        'give a commit, branch or tag of this repository, e.g. `--base origin/main` (CI checkouts need `fetch-depth: 0`)',
      ),
    ];
  }
  const ref = input.base;
  const baseByName = new Map(base.detections.map((d) => [d.name, d]));
  const moved = movedDetections(input, base, revision, atBase.source);
  const baseById = new Map(base.detections.map((d) => [normId(d.id), d]));
  const headIds = new Set(input.program.detections.map((d) => normId(d.id)));
  const headNames = new Set(input.files.flatMap((f) => f.blocks.flatMap((b) => (b.kind === 'Detection' ? [b.name.name] : []))));
  const out: Diagnostic[] = [];
  const defsBefore = definitionsOf(baseFiles);
  const defsNow = definitionsOf(input.files);
  const factsBefore = new SourceFacts(atBase.source, input.elasticProfile);
  const factsNow = new SourceFacts(input.source, input.elasticProfile);
  if (atBase.problem !== undefined) {
    out.push(
      error(
        Codes.BaseNotCompared,
        undefined,
        `the source definition of ${ref} could not be used: ${atBase.problem}; the base was lowered against the working tree's, so a change to the source definition is not compared`,
        "check by hand the versions of detections whose fields, rule aliases or cluster recognition the source definition's change touches",
      ),
    );
  }

  // The lists and macros a detection uses that changed (only where both sides are the same paths).
  const usedDefinitions = (d: Detection): string[] => {
    const decl = declOf(input.files, d);
    return decl ? changedDefinitions(decl, defsBefore, defsNow) : [];
  };

  for (const d of input.program.detections) {
    const owner = baseById.get(normId(d.id));
    const renamedFrom = owner && owner.name !== d.name && !headNames.has(owner.name) && !baseByName.has(d.name) ? owner : undefined;
    const elsewhere = moved.get(d.name);
    const before = baseByName.get(d.name) ?? (elsewhere && 'before' in elsewhere ? elsewhere.before : undefined) ?? renamedFrom;
    if (elsewhere && 'ambiguous' in elsewhere) {
      const why = elsewhere.ambiguous;
      const where = why.span ? `${why.span.file}:${why.span.start.line}:${why.span.start.column}: ` : '';
      out.push(
        error(
          Codes.BaseNotCompared,
          propertySpan(input.files, d, 'id'),
          `detection \`${d.name}\` was not compared with ${ref}: its file moved, and at ${ref} a list or macro is defined twice in the folders around its old file, so which definition it used is unknown (${where}${why.code}: ${why.message})`,
          'check its version by hand: compare its condition with its lists and macros at the old place',
        ),
      );
    }
    if (!before && unlowered.has(d.name)) {
      const why = unlowered.get(d.name);
      const where = why?.span ? `${why.span.file}:${why.span.start.line}:${why.span.start.column}: ` : '';
      out.push(
        error(
          Codes.BaseNotCompared,
          propertySpan(input.files, d, 'id'),
          `detection \`${d.name}\` was not compared with ${ref}: it does not compile there${why ? ` (${where}${why.code}: ${why.message})` : ''}`,
          `check its id and version by hand; this happens when a list or macro it uses changed in the same change, its test events file is missing at ${ref}, or the base's source definition could not be used`,
        ),
      );
    }
    if (before && normId(before.id) !== normId(d.id)) {
      out.push(
        error(
          Codes.IdChanged,
          propertySpan(input.files, d, 'id'),
          `the id of detection \`${d.name}\` changed since ${ref} (was "${before.id}", now "${d.id}")`,
          `ids are what Sentinel and Kibana key on: a new id deploys a second rule beside the old one. Restore id: "${before.id}", or keep this detection and create a new one with a new name`,
        ),
      );
    }
    if (owner && owner.name !== d.name && !renamedFrom) {
      out.push(
        error(
          Codes.IdReused,
          propertySpan(input.files, d, 'id'),
          `id "${d.id}" belonged to detection \`${owner.name}\` at ${ref}, not to \`${d.name}\``,
          `generate a new UUID for this detection (e.g. \`uuidgen | tr A-Z a-z\`): \`${owner.name}\` ${headNames.has(owner.name) ? 'still exists' : `is gone, but \`${d.name}\` existed at ${ref} too`}, so this is not a rename`,
        ),
      );
    }
    const parts = before !== undefined ? changedParts(before, d) : [];
    const irChanged = parts.length > 0;
    // The same IR compiles to another query when the source facts it uses changed.
    const sourceChanges = before !== undefined && !irChanged ? sliceChanges(factsBefore.slice(before), factsNow.slice(d)) : [];
    const queryChanged = irChanged || sourceChanges.length > 0;
    if (before && !queryChanged && d.version < before.version) {
      out.push(
        error(
          Codes.VersionDecreased,
          propertySpan(input.files, d, 'version'),
          `the version of detection \`${d.name}\`${renamedFrom ? ` (\`${renamedFrom.name}\` at ${ref})` : ''} went down since ${ref} (${before.version} there, ${d.version} now) while its compiled query did not change`,
          `write \`version: ${before.version}\` (or higher when the query changes): the deployed rule already has version ${before.version}`,
        ),
      );
    }
    if (before && queryChanged && d.version <= before.version) {
      const next = before.version + 1;
      out.push(
        error(
          Codes.VersionNotIncreased,
          propertySpan(input.files, d, 'version'),
          `the compiled query of detection \`${d.name}\`${renamedFrom ? ` (\`${renamedFrom.name}\` at ${ref})` : ''} changed since ${ref} (${whatChanged(parts, baseByName.get(d.name) === before ? usedDefinitions(d) : [], sourceChanges)}), but its version is ${d.version} (${before.version} at ${ref}): set version: ${next}`,
          `write \`version: ${next}\`: the version is how Sentinel, Kibana and reviewers tell that the rule logic changed`,
        ),
      );
    }
  }
  for (const b of base.detections) {
    if (headNames.has(b.name) || headIds.has(normId(b.id))) continue;
    out.push({
      code: Codes.DetectionRemoved.code,
      severity: Codes.DetectionRemoved.severity,
      message: `detection \`${b.name}\` (id "${b.id}") existed at ${ref} and is gone`,
      hint: 'detect does not delete deployed rules: disable or delete it in Sentinel and Kibana too',
    });
  }
  return out;
}
