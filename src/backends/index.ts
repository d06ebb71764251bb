/**
 * The registry of compilation targets: which exist, which are implemented, and the folder
 * below the output folder each one owns (a target writes only there, and a compile of that
 * target removes stale files only there). Folders of different backends must not overlap;
 * names that share one backend (`kql` and `sentinel`: both produce the whole Sentinel set under
 * `sentinel/`) share its folder and are compiled once by `--target all`.
 * To make a target available, set its `backend` (and check its `root`).
 */
import { Codes } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { esdslBackend } from './esdsl/index.js';
import { irBackend } from './ir/index.js';
import { KIBANA_ROOT, kibanaBackend } from './kibana/index.js';
import { luceneBackend } from './lucene/index.js';
import { SENTINEL_ROOT, sentinelBackend } from './sentinel/index.js';
import { TARGETS, type Backend, type TargetName } from './types.js';

export interface TargetEntry {
  readonly target: TargetName;
  /** One line for `--help`. */
  readonly description: string;
  /** Folder below the output folder holding every file of this target. */
  readonly root: string;
  /** The implementation; absent while the target is not available. */
  readonly backend?: Backend;
  /** Where the missing target is tracked, for the "not available yet" message. */
  readonly issue?: string;
  /**
   * Whether `detect validate` runs this backend (in memory) for its diagnostics; false for
   * targets that can express every valid program and so never report anything.
   */
  readonly checkedByValidate: boolean;
  /**
   * Whether `--target all` compiles it. `all` means every SIEM artifact; the IR is an
   * inspection aid (large: every test event and source span) and is asked for by name.
   */
  readonly inAll: boolean;
}

export const TARGET_REGISTRY: Readonly<Record<TargetName, TargetEntry>> = {
  ir: { target: 'ir', description: irBackend.description, root: 'ir', backend: irBackend, checkedByValidate: false, inAll: false },
  kql: { target: 'kql', description: 'Microsoft Sentinel (same as sentinel): the KQL parser function, queries, ARM templates and YAML', root: SENTINEL_ROOT, backend: sentinelBackend, checkedByValidate: true, inAll: true },
  sentinel: { target: 'sentinel', description: sentinelBackend.description, root: SENTINEL_ROOT, backend: sentinelBackend, checkedByValidate: true, inAll: true },
  esdsl: { target: 'esdsl', description: esdslBackend.description, root: 'elastic/esdsl', backend: esdslBackend, checkedByValidate: true, inAll: true },
  lucene: { target: 'lucene', description: luceneBackend.description, root: 'elastic/lucene', backend: luceneBackend, checkedByValidate: true, inAll: true },
  kibana: { target: 'kibana', description: kibanaBackend.description, root: KIBANA_ROOT, backend: kibanaBackend, checkedByValidate: true, inAll: true },
};

/** What `--target` accepts: one target or `all`. */
export type TargetSelection = TargetName | 'all';

export const TARGET_SELECTIONS: readonly TargetSelection[] = [...TARGETS, 'all'];

/** An available target: its entry with the backend present. */
export type AvailableTarget = TargetEntry & { readonly backend: Backend };

export interface SelectedTargets {
  /** Targets to compile, in registry order. */
  readonly targets: readonly AvailableTarget[];
  /** DET5002 when a single unavailable target was asked for. */
  readonly diagnostics: readonly Diagnostic[];
  /** For `all`: one note naming the targets skipped because they are not available yet. */
  readonly notes: readonly string[];
}

function isAvailable(entry: TargetEntry): entry is AvailableTarget {
  return entry.backend !== undefined;
}

export type TargetRegistry = Readonly<Record<TargetName, TargetEntry>>;

/** The names of the targets that can be compiled today. */
export function availableTargetNames(registry: TargetRegistry = TARGET_REGISTRY): TargetName[] {
  return TARGETS.filter((t) => isAvailable(registry[t]));
}

/**
 * Resolves `--target`: the targets to compile, or DET5002 for an unavailable one. `registry`
 * is the project's own unless a test passes another.
 */
export function selectTargets(selection: TargetSelection, registry: TargetRegistry = TARGET_REGISTRY): SelectedTargets {
  if (selection === 'all') {
    const entries = TARGETS.map((t) => registry[t]).filter((e) => e.inAll);
    const missing = entries.filter((e) => !isAvailable(e));
    const issues = [...new Set(missing.map((e) => e.issue).filter((i): i is string => i !== undefined))];
    const notes =
      missing.length === 0
        ? []
        : [`targets not available yet, skipped: ${missing.map((e) => e.target).join(', ')}${issues.length ? ` (issue ${issues.join(', ')})` : ''}`];
    // Names sharing a backend (kql, sentinel) compile once, under the first name.
    const seen = new Set<Backend>();
    const targets: AvailableTarget[] = [];
    for (const e of entries.filter(isAvailable)) {
      if (seen.has(e.backend)) continue;
      seen.add(e.backend);
      targets.push(e);
    }
    return { targets, diagnostics: [], notes };
  }
  const entry = registry[selection];
  if (isAvailable(entry)) return { targets: [entry], diagnostics: [], notes: [] };
  return {
    targets: [],
    notes: [],
    diagnostics: [
      {
        code: Codes.TargetNotAvailable.code,
        severity: 'error',
        message: `target '${selection}' is not available yet${entry.issue ? ` (issue ${entry.issue})` : ''}`,
        hint: `available targets: ${availableTargetNames(registry).join(', ')}; --target all compiles every available SIEM target`,
      },
    ],
  };
}
