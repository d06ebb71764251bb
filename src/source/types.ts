/**
 * A source declares the logical fields detections are written against, their types, and where
 * each lives in every target. Field mapping belongs to the source, not to the backends.
 * The built-in Falco source is `falco.source.yaml` beside this file.
 */
import type { FieldType } from '../ir/types.js';

/** Where a field sits in a Falco alert as JSON. */
export type FieldLocation =
  /** A top-level key of the alert (`rule`, `priority`, `time`, `hostname`, `tags`, …). */
  | { readonly in: 'alert'; readonly key: string }
  /** A key of `output_fields` (`proc.cmdline`, …). */
  | { readonly in: 'output_fields'; readonly key: string }
  /** Computed by the source (`cluster`). */
  | { readonly in: 'derived' };

export interface SourceField {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  readonly location: FieldLocation;
  /** Sentinel parser column name (e.g. `ProcessCommandLine`). */
  readonly column: string;
}

/** How the Kubernetes cluster name is recognised (first that yields a value wins). */
export interface ClusterRecognition {
  /** An `output_fields` key set by Falcosidekick `customfields` (e.g. `cluster`). */
  readonly customField?: string;
  /** A regular expression over `hostname` (RE2 and JavaScript compatible); group 1 is the name. */
  readonly hostnamePattern?: string;
}

export type SentinelRoute = 'cef' | 'json';

export interface ElasticFieldMapping {
  /** Document field path, e.g. `output_fields.proc.cmdline` or `process.command_line`. */
  readonly path: string;
  /**
   * Mapping type of `path`. `wildcard` (Elasticsearch's keyword-family type that ECS uses for
   * command lines) answers term, terms, prefix, wildcard and regexp queries on the whole value
   * like `keyword`, and has no `ignore_above` unless the mapping sets one.
   */
  readonly type: 'text' | 'keyword' | 'wildcard' | 'long' | 'boolean' | 'date';
  /** Sub-field for exact matching when `path` is text (e.g. `keyword`). */
  readonly keyword?: string;
}

export interface ElasticProfile {
  readonly name: string;
  readonly description: string;
  readonly index: readonly string[];
  readonly timestampField: string;
  /** Logical field name → where it is indexed; a field absent here cannot be queried. */
  readonly fields: Readonly<Record<string, ElasticFieldMapping>>;
}

export interface SourceDefinition {
  readonly name: string;
  readonly description: string;
  /** Sorted by name. */
  readonly fields: readonly SourceField[];
  /** Current rule name → earlier names of the same Falco rule. */
  readonly ruleAliases: Readonly<Record<string, readonly string[]>>;
  readonly cluster: ClusterRecognition;
  readonly sentinel: {
    readonly functionName: string;
    readonly routes: readonly SentinelRoute[];
  };
  readonly elastic: {
    readonly defaultProfile: string;
    readonly profiles: Readonly<Record<string, ElasticProfile>>;
  };
}
