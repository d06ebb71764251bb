/**
 * Lowering one `detection name { … }` block: sorting its members (unknown and duplicate keys
 * reported), then metadata, match, schedule, suppression, output, entities, ATT&CK and tests.
 */
import type { AttackTable } from '../attack/table.js';
import { Codes } from '../diagnostics/codes.js';
import { suggest } from '../diagnostics/suggest.js';
import type {
  ConditionMember,
  DetectionDecl,
  FileNode,
  MapBlock,
  Member,
  Property,
  ScheduleMember,
  SequenceMember,
  SuppressMember,
  TestDecl,
  ThresholdMember,
} from '../syntax/ast.js';
import { memberSynonym, synonymHint } from '../syntax/members.js';
import { lowerAttack } from './attack.js';
import type { ConditionLowerer } from './conditions.js';
import type { FieldIndex } from './fields.js';
import { lowerMatch } from './match.js';
import { lowerEntities, lowerOutput } from './projection.js';
import { lowerMetadata, MAP_BLOCK_KEYS, PROPERTY_KEYS } from './properties.js';
import { irSpan, where, type Reporter } from './report.js';
import { lowerSchedule, lowerSuppression } from './schedule.js';
import { keywordSpan } from './spans.js';
import { lowerTests, type ReadFile } from './test-cases.js';
import type { Detection } from './types.js';

export interface DetectionContext {
  readonly file: FileNode;
  readonly fields: FieldIndex;
  readonly conditions: ConditionLowerer;
  readonly attack: AttackTable;
  readonly readFile: ReadFile;
  readonly reporter: Reporter;
}

/** Every member keyword, for did-you-mean on unknown keys. */
const MEMBER_KEYS: readonly string[] = [
  ...PROPERTY_KEYS,
  ...MAP_BLOCK_KEYS,
  'condition',
  'schedule',
  'suppress',
  'threshold',
  'sequence',
  'test',
];

interface Members {
  readonly props: Map<string, Property>;
  readonly maps: Map<string, MapBlock>;
  condition?: ConditionMember;
  schedule?: ScheduleMember;
  suppress?: SuppressMember;
  threshold?: ThresholdMember;
  sequence?: SequenceMember;
  readonly tests: TestDecl[];
}

/** The longest detection name: it names generated files (`<name>.lucene`), which file systems limit to 255 bytes. */
export const MAX_NAME_LENGTH = 128;

/**
 * Lowers `decl`. Returns a detection, possibly built from placeholders when problems were
 * reported: the caller compares the reporter's error count to decide whether to keep it.
 */
export function lowerDetection(decl: DetectionDecl, ctx: DetectionContext): Detection | undefined {
  const { reporter, fields } = ctx;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(decl.name.name)) {
    reporter.report(
      Codes.InvalidValue,
      decl.name.span,
      `detection name \`${decl.name.name}\` is not file-name safe: it becomes the name of generated files`,
      'use only letters, digits, `_` and `-`, e.g. `' + decl.name.name.replace(/[^A-Za-z0-9_-]+/g, '_') + '`',
    );
  } else if (decl.name.name.length > MAX_NAME_LENGTH) {
    reporter.report(
      Codes.InvalidValue,
      decl.name.span,
      `detection name is ${decl.name.name.length} characters long, over ${MAX_NAME_LENGTH}: it becomes the name of generated files, which file systems limit to 255 bytes`,
      'shorten the name; the title can say the rest',
    );
  }
  const m = sortMembers(decl, reporter);
  const meta = lowerMetadata(decl, m.props, reporter);
  const match = lowerMatch(decl, m, ctx.conditions, fields, reporter);
  const schedule = lowerSchedule(m.schedule, reporter);
  const suppression = m.suppress === undefined ? undefined : lowerSuppression(m.suppress, fields, reporter);
  const outputProp = m.props.get('output');
  const output = outputProp === undefined ? [] : lowerOutput(outputProp, fields, reporter);
  const entitiesBlock = m.maps.get('entities');
  const entities = entitiesBlock === undefined ? {} : lowerEntities(entitiesBlock, fields, reporter);
  const attackBlock = m.maps.get('attack');
  const attack = attackBlock === undefined ? [] : lowerAttack(attackBlock, ctx.attack, reporter);
  const tests = lowerTests(m.tests, ctx.file, ctx.readFile, reporter);
  if (match === undefined || schedule === undefined) return undefined;
  return {
    id: meta.id,
    name: decl.name.name,
    title: meta.title,
    description: meta.description,
    version: meta.version,
    severity: meta.severity,
    author: meta.author,
    tags: meta.tags,
    references: meta.references,
    falsePositives: meta.falsePositives,
    triage: meta.triage,
    response: meta.response,
    attack,
    schedule,
    ...(suppression === undefined ? {} : { suppression }),
    match,
    output,
    entities,
    tests,
    span: irSpan(decl.span),
  };
}

function sortMembers(decl: DetectionDecl, reporter: Reporter): Members {
  const m: Members = { props: new Map(), maps: new Map(), tests: [] };
  const single = <K extends 'condition' | 'schedule' | 'suppress' | 'threshold' | 'sequence'>(
    key: K,
    member: NonNullable<Members[K]>,
  ): void => {
    const first = m[key];
    if (first !== undefined) {
      reporter.report(
        Codes.DuplicateProperty,
        keywordSpan(member.span, key),
        `\`${key}\` is given twice (first at ${where(first.span)})`,
        key === 'condition' ? 'combine them into one condition with `and` / `or`' : `keep one \`${key}\``,
      );
      return;
    }
    (m as { [P in K]?: Members[P] })[key] = member;
  };
  for (const member of decl.members as readonly Member[]) {
    switch (member.kind) {
      case 'Property':
        addProperty(m, member, reporter);
        break;
      case 'MapBlock':
        addMapBlock(m, member, reporter);
        break;
      case 'Condition':
        single('condition', member);
        break;
      case 'Schedule':
        single('schedule', member);
        break;
      case 'Suppress':
        single('suppress', member);
        break;
      case 'Threshold':
        single('threshold', member);
        break;
      case 'Sequence':
        single('sequence', member);
        break;
      case 'Test':
        m.tests.push(member);
        break;
    }
  }
  return m;
}

function addProperty(m: Members, p: Property, reporter: Reporter): void {
  const key = p.key.name;
  if ((MAP_BLOCK_KEYS as readonly string[]).includes(key)) {
    reporter.report(
      Codes.InvalidValue,
      p.key.span,
      `\`${key}\` is a block, not a \`key: value\` property`,
      key === 'attack' ? 'write `attack { execution: T1059 }`' : 'write `entities { host: hostname }`',
    );
    return;
  }
  if (!(PROPERTY_KEYS as readonly string[]).includes(key)) {
    reportUnknown(p.key.name, p.key.span, reporter);
    return;
  }
  const first = m.props.get(key);
  if (first !== undefined) {
    reporter.report(
      Codes.DuplicateProperty,
      p.key.span,
      `\`${key}\` is given twice (first at ${where(first.key.span)})`,
      `keep one \`${key}\`${['tags', 'author', 'references', 'false_positives', 'output'].includes(key) ? ' and list all values in it' : ''}`,
    );
    return;
  }
  m.props.set(key, p);
}

function addMapBlock(m: Members, b: MapBlock, reporter: Reporter): void {
  const key = b.key.name;
  if ((PROPERTY_KEYS as readonly string[]).includes(key)) {
    reporter.report(
      Codes.InvalidValue,
      b.key.span,
      `\`${key}\` is a \`key: value\` property, not a block`,
      `write \`${key}: …\``,
    );
    return;
  }
  if (!(MAP_BLOCK_KEYS as readonly string[]).includes(key)) {
    reportUnknown(key, b.key.span, reporter);
    return;
  }
  const first = m.maps.get(key);
  if (first !== undefined) {
    reporter.report(
      Codes.DuplicateProperty,
      b.key.span,
      `\`${key}\` is given twice (first at ${where(first.key.span)})`,
      `merge the two \`${key}\` blocks into one`,
    );
    return;
  }
  m.maps.set(key, b);
}

function reportUnknown(key: string, span: Property['span'], reporter: Reporter): void {
  const synonym = memberSynonym(key);
  const close = synonym === undefined ? suggest(key, MEMBER_KEYS) : undefined;
  reporter.report(
    Codes.UnknownProperty,
    span,
    `unknown property \`${key}\``,
    synonym !== undefined
      ? synonymHint(key, synonym)
      : close !== undefined
        ? `did you mean \`${close}\`?`
        : `known properties: ${MEMBER_KEYS.join(', ')}`,
  );
}
