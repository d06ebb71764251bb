/**
 * The diagnostic code catalog. Every diagnostic the compiler emits has a code listed here,
 * so codes are stable, documented (README "Diagnostic codes") and greppable.
 *
 * Ranges: 1xxx syntax, 2xxx structure of a block, 3xxx semantic validation, 4xxx tests,
 * 5xxx backends, 6xxx files and command line, 7xxx source definitions.
 */
export interface CodeInfo {
  readonly code: string;
  readonly title: string;
  readonly severity: 'error' | 'warning';
}

function c(code: string, severity: 'error' | 'warning', title: string): CodeInfo {
  return { code, severity, title };
}

export const Codes = {
  // 1xxx: lexing and parsing
  UnexpectedCharacter: c('DET1001', 'error', 'unexpected character'),
  UnterminatedString: c('DET1002', 'error', 'unterminated string'),
  InvalidEscape: c('DET1003', 'error', 'invalid escape sequence in string'),
  SyntaxError: c('DET1010', 'error', 'syntax error'),
  InvalidUtf8: c('DET1011', 'error', 'file is not valid UTF-8'),
  NestingTooDeep: c('DET1012', 'error', 'expression nested too deeply'),
  MixedBlockIndentation: c('DET1013', 'error', 'the lines of a """ block mix tabs and spaces in their indentation'),

  // 2xxx: structure of a block (properties and their values)
  UnknownProperty: c('DET2001', 'error', 'unknown property'),
  DuplicateProperty: c('DET2002', 'error', 'property given twice'),
  MissingProperty: c('DET2003', 'error', 'required property missing'),
  InvalidValue: c('DET2004', 'error', 'invalid property value'),
  InvalidSeverity: c('DET2005', 'error', 'unknown severity'),
  InvalidDuration: c('DET2006', 'error', 'invalid duration'),
  ConflictingProperties: c('DET2007', 'error', 'properties that cannot be combined'),
  DuplicateName: c('DET2008', 'error', 'name defined twice'),
  InexactNumber: c('DET2009', 'error', 'number cannot be represented exactly'),
  InvalidIrSchema: c('DET2099', 'error', 'IR does not match its JSON Schema (compiler bug)'),

  // 3xxx: semantic validation rules (src/validate/rules)
  DuplicateId: c('DET3001', 'error', 'detection id used twice'),
  MalformedUuid: c('DET3002', 'error', 'detection id is not a UUID'),
  UnknownField: c('DET3003', 'error', 'unknown field'),
  TypeMismatch: c('DET3004', 'error', 'value type does not match field type'),
  InvalidRegex: c('DET3005', 'error', 'invalid regular expression'),
  UnknownTactic: c('DET3006', 'error', 'unknown ATT&CK tactic'),
  UnknownTechnique: c('DET3007', 'error', 'unknown ATT&CK technique'),
  TechniqueNotInTactic: c('DET3008', 'error', 'technique does not belong to the tactic'),
  UnknownMacro: c('DET3009', 'error', 'unknown macro'),
  CyclicMacro: c('DET3010', 'error', 'macro refers to itself'),
  UnknownList: c('DET3011', 'error', 'unknown list'),
  UnusedList: c('DET3012', 'warning', 'list is never used'),
  UnusedMacro: c('DET3013', 'warning', 'macro is never used'),
  NoTests: c('DET3014', 'warning', 'detection has no tests'),
  MissingMatchTest: c('DET3015', 'warning', 'detection has no must-match or no must-not-match test'),
  InvalidOperator: c('DET3016', 'error', 'operator cannot apply to this field'),
  CorrelationKeyUnknown: c('DET3017', 'error', 'correlation key is not a field'),
  CyclicList: c('DET3018', 'error', 'list refers to itself'),
  InvalidCorrelationKey: c('DET3019', 'error', 'field cannot be a correlation key'),
  NocaseSigma: c('DET3030', 'error', 'nocase value holds a Greek sigma, whose lower case depends on its neighbours'),
  EarlierRuleName: c('DET3031', 'warning', '`rule` compared with an earlier name of a renamed Falco rule'),
  // 302x: the pull-request gate, `validate --base` (src/gate)
  IdChanged: c('DET3020', 'error', 'detection id changed since the base revision'),
  IdReused: c('DET3021', 'error', 'id belonged to another detection at the base revision'),
  VersionNotIncreased: c('DET3022', 'error', 'compiled query changed but version did not increase'),
  DetectionRemoved: c('DET3023', 'warning', 'detection removed since the base revision'),
  BaseNotCompared: c('DET3024', 'warning', 'not compared with the base revision: a detection or the source definition does not load there'),
  VersionDecreased: c('DET3025', 'error', 'version lower than at the base revision'),

  // 4xxx: test cases
  TestFailed: c('DET4001', 'error', 'test case failed'),
  TestFileMissing: c('DET4002', 'error', 'test events file not found or unreadable'),
  TestFileInvalid: c('DET4003', 'error', 'test events file is not valid NDJSON'),
  TestEventInvalid: c('DET4004', 'error', 'test event is not a JSON object'),
  UntimedCorrelationEvent: c('DET4005', 'warning', 'test event of a threshold or sequence has no valid time'),
  UnkeyedCorrelationEvent: c('DET4006', 'warning', 'test event of a threshold or sequence lacks a `by` field'),
  TestUndecided: c('DET4007', 'error', 'test case undecided: a regular expression search ran past its time limit or out of stack'),
  MisplacedTestEventKey: c('DET4008', 'warning', 'test event lacks a field the detection reads, but holds it misspelt or misplaced'),

  // 5xxx: backends
  TargetCannotExpress: c('DET5001', 'error', 'target cannot express this condition exactly'),
  TargetNotAvailable: c('DET5002', 'error', 'target not available yet'),
  KqlAnalysis: c('DET5101', 'error', 'Kusto analyser reports a problem in the generated KQL'),
  TargetLimitExceeded: c('DET5003', 'error', 'generated artifact exceeds a target limit'),
  DeploymentLimit: c('DET5004', 'warning', 'the generated rules together exceed a deployment or workspace limit'),
  EsQueryRuleOmitted: c('DET5005', 'warning', 'detection left out of the .es-query rules, which cannot express it'),

  // 6xxx: files and the command line
  PathNotFound: c('DET6001', 'error', 'input path not found'),
  NoInputFiles: c('DET6002', 'error', 'no detection files found'),
  OutputNotDirectory: c('DET6003', 'error', 'output path is not a directory'),
  OutputUnsafe: c('DET6004', 'error', 'refusing to write there'),
  ReadFailed: c('DET6005', 'error', 'file could not be read'),
  WriteFailed: c('DET6006', 'error', 'output could not be written'),
  NotFormatted: c('DET6007', 'error', 'file is not canonically formatted'),
  UnknownElasticProfile: c('DET6008', 'error', 'unknown Elastic profile'),
  BaseUnavailable: c('DET6009', 'error', 'base git revision cannot be read'),
  OutputLocked: c('DET6010', 'error', 'another detect is writing the output folder'),
  LeftoverNotRemoved: c('DET6011', 'warning', 'copy of an earlier output folder could not be deleted'),
  NotADetectionFile: c('DET6012', 'warning', 'file given is not a .det file: skipped'),

  // 7xxx: source definitions
  InvalidSource: c('DET7001', 'error', 'invalid source definition'),
  UnknownSource: c('DET7002', 'error', 'unknown source'),
} as const satisfies Record<string, CodeInfo>;

export type CodeName = keyof typeof Codes;

/** All catalog entries, sorted by code (for the README table and `detect codes`). */
export function catalog(): CodeInfo[] {
  return Object.values(Codes).sort((a, b) => (a.code < b.code ? -1 : 1));
}
