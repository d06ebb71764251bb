/**
 * Every semantic check, in one place (graphql-js `specifiedRules` style). `RULES` run in
 * `validateProgram`, in this order; `LOWERING_CHECKS` are done while lowering because the IR
 * cannot be built without them (each problem is reported in exactly one place). The README's
 * rule → code table is generated from both lists.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Rule } from '../context.js';
import { AttackRule } from './AttackRule.js';
import { CorrelationKeyRule } from './CorrelationKeyRule.js';
import { CorrelationTestKeyRule } from './CorrelationTestKeyRule.js';
import { CorrelationTestTimeRule } from './CorrelationTestTimeRule.js';
import { DuplicateIdRule } from './DuplicateIdRule.js';
import { EarlierRuleNameRule } from './EarlierRuleNameRule.js';
import { NocaseSigmaRule } from './NocaseSigmaRule.js';
import { RegexRule } from './RegexRule.js';
import { TestEventKeysRule } from './TestEventKeysRule.js';
import { TestsPresentRule } from './TestsPresentRule.js';
import { TypeMismatchRule } from './TypeMismatchRule.js';
import { UnusedListRule } from './UnusedListRule.js';
import { UnusedMacroRule } from './UnusedMacroRule.js';
import { UuidFormatRule } from './UuidFormatRule.js';

export interface RuleEntry {
  readonly name: string;
  readonly codes: readonly string[];
  readonly check: Rule;
}

/** The validation rules, run in this order over every program. */
export const RULES: readonly RuleEntry[] = [
  { name: 'DuplicateIdRule', codes: [Codes.DuplicateId.code, Codes.DuplicateName.code], check: DuplicateIdRule },
  { name: 'UuidFormatRule', codes: [Codes.MalformedUuid.code], check: UuidFormatRule },
  { name: 'TypeMismatchRule', codes: [Codes.TypeMismatch.code, Codes.InvalidOperator.code], check: TypeMismatchRule },
  { name: 'NocaseSigmaRule', codes: [Codes.NocaseSigma.code], check: NocaseSigmaRule },
  { name: 'RegexRule', codes: [Codes.InvalidRegex.code], check: RegexRule },
  { name: 'EarlierRuleNameRule', codes: [Codes.EarlierRuleName.code], check: EarlierRuleNameRule },
  {
    name: 'AttackRule',
    codes: [Codes.UnknownTactic.code, Codes.UnknownTechnique.code, Codes.TechniqueNotInTactic.code],
    check: AttackRule,
  },
  { name: 'CorrelationKeyRule', codes: [Codes.InvalidCorrelationKey.code], check: CorrelationKeyRule },
  { name: 'UnusedListRule', codes: [Codes.UnusedList.code], check: UnusedListRule },
  { name: 'UnusedMacroRule', codes: [Codes.UnusedMacro.code], check: UnusedMacroRule },
  { name: 'TestsPresentRule', codes: [Codes.NoTests.code, Codes.MissingMatchTest.code], check: TestsPresentRule },
  { name: 'CorrelationTestTimeRule', codes: [Codes.UntimedCorrelationEvent.code], check: CorrelationTestTimeRule },
  { name: 'CorrelationTestKeyRule', codes: [Codes.UnkeyedCorrelationEvent.code], check: CorrelationTestKeyRule },
  { name: 'TestEventKeysRule', codes: [Codes.MisplacedTestEventKey.code], check: TestEventKeysRule },
];

export interface LoweringCheck {
  /** What the check is called in the README (as if it were a rule). */
  readonly name: string;
  readonly codes: readonly string[];
  /** The file under `src/ir/` that reports it. */
  readonly where: string;
}

/** Semantic checks made during lowering (`src/ir/`), listed here so every check is in one list. */
export const LOWERING_CHECKS: readonly LoweringCheck[] = [
  { name: 'KnownFields', codes: [Codes.UnknownField.code], where: 'src/ir/fields.ts' },
  { name: 'KnownCorrelationKeys', codes: [Codes.CorrelationKeyUnknown.code], where: 'src/ir/fields.ts' },
  { name: 'KnownMacros', codes: [Codes.UnknownMacro.code, Codes.CyclicMacro.code], where: 'src/ir/conditions.ts' },
  { name: 'KnownLists', codes: [Codes.UnknownList.code, Codes.CyclicList.code], where: 'src/ir/lists.ts' },
  { name: 'UniqueDefinitions', codes: [Codes.DuplicateName.code], where: 'src/ir/definitions.ts' },
  {
    name: 'Properties',
    codes: [
      Codes.UnknownProperty.code,
      Codes.DuplicateProperty.code,
      Codes.MissingProperty.code,
      Codes.InvalidValue.code,
      Codes.InvalidSeverity.code,
    ],
    where: 'src/ir/detection.ts, src/ir/properties.ts, src/ir/projection.ts',
  },
  { name: 'Durations', codes: [Codes.InvalidDuration.code], where: 'src/ir/schedule.ts' },
  { name: 'ExactNumbers', codes: [Codes.InexactNumber.code], where: 'src/ir/values.ts' },
  { name: 'MatchKind', codes: [Codes.ConflictingProperties.code], where: 'src/ir/match.ts' },
  {
    name: 'TestEvents',
    codes: [Codes.TestFileMissing.code, Codes.TestFileInvalid.code, Codes.TestEventInvalid.code],
    where: 'src/ir/test-cases.ts',
  },
  { name: 'IrSchema', codes: [Codes.InvalidIrSchema.code], where: 'src/ir/schema.ts (run by validateProgram)' },
];
