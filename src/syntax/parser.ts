/**
 * The `.det` grammar as a pure Chevrotain `CstParser`: one rule per production, the production in
 * each rule's doc comment, no actions. The CST goes to `visitor.ts`, which builds the AST.
 *
 * Error recovery is on: single-token insertion/deletion, re-sync inside repetitions (junk in a
 * detection body, between blocks) and between rules. So one parse reports every syntax error of a
 * file, and the CST of a broken file has `recoveredNode` parts that the visitor handles.
 *
 * One parser instance is shared (`detParser`); `parseTokens` resets its input for each parse.
 */
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import { CstParser, EOF } from './chevrotain.js';
import { errorMessageProvider } from './messages.js';
import {
  allTokens,
  And,
  By,
  CaseMode,
  Colon,
  Comma,
  CompareOp,
  Condition,
  Count,
  Detection,
  Does,
  Duration,
  Every,
  Exists,
  File,
  For,
  GtEq,
  Identifier,
  In,
  JsonText,
  LBracket,
  LCurly,
  List,
  Lookback,
  LParen,
  Macro,
  Match,
  Matches,
  Name,
  Not,
  NumberLiteral,
  Or,
  RBracket,
  RCurly,
  Realtime,
  RParen,
  Scalar,
  JsonScalar,
  Schedule,
  Sequence,
  Step,
  StringLiteral,
  StringOp,
  Suppress,
  Equals,
  Test,
  Threshold,
  Within,
} from './tokens.js';

export class DetParser extends CstParser {
  /**
   * `validate` runs Chevrotain's grammar checks (ambiguities, left recursion, …) in the
   * self-analysis; the tests do, the shared instance skips them, as they only cost startup time.
   * `recover` false: the parse stops at the first error (see `firstParseError`).
   */
  constructor(validate = false, recover = true) {
    super(allTokens as never, {
      recoveryEnabled: recover,
      maxLookahead: 3,
      errorMessageProvider,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  /** file := block* EOF */
  public readonly file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.block));
    this.CONSUME(EOF);
  });

  /** block := listDecl | macroDecl | detectionDecl */
  public readonly block = this.RULE('block', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.listDecl) },
      { ALT: () => this.SUBRULE(this.macroDecl) },
      { ALT: () => this.SUBRULE(this.detectionDecl) },
    ]);
  });

  /** listDecl := 'list' IDENT '=' listLiteral */
  public readonly listDecl = this.RULE('listDecl', () => {
    this.CONSUME(List);
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.listLiteral);
  });

  /** macroDecl := 'macro' IDENT '=' expr */
  public readonly macroDecl = this.RULE('macroDecl', () => {
    this.CONSUME(Macro);
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.expr);
  });

  /** detectionDecl := 'detection' IDENT '{' member* '}' */
  public readonly detectionDecl = this.RULE('detectionDecl', () => {
    this.CONSUME(Detection);
    this.CONSUME(Identifier);
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.member));
    this.CONSUME(RCurly);
  });

  /**
   * member := conditionMember | scheduleMember | suppressMember | thresholdMember
   *         | sequenceMember | testDecl | keyedMember
   */
  public readonly member = this.RULE('member', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.conditionMember) },
      { ALT: () => this.SUBRULE(this.scheduleMember) },
      { ALT: () => this.SUBRULE(this.suppressMember) },
      { ALT: () => this.SUBRULE(this.thresholdMember) },
      { ALT: () => this.SUBRULE(this.sequenceMember) },
      { ALT: () => this.SUBRULE(this.testDecl) },
      { ALT: () => this.SUBRULE(this.keyedMember) },
    ]);
  });

  /**
   * keyedMember := IDENT (propertyBody | mapBody)
   *
   * The DSL's `property := IDENT ':' value` and `mapBlock := IDENT '{' mapEntry* '}'`, factored
   * on their shared key: one token of lookahead then picks every member, so a broken member
   * (`title "x"`) is one error and the parser carries on with the next member.
   */
  public readonly keyedMember = this.RULE('keyedMember', () => {
    this.CONSUME(Identifier);
    this.OR([
      { ALT: () => this.SUBRULE(this.propertyBody) },
      { ALT: () => this.SUBRULE(this.mapBody) },
    ]);
  });

  /** propertyBody := ':' value */
  public readonly propertyBody = this.RULE('propertyBody', () => {
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });

  /** mapBody := '{' mapEntry* '}'   (`attack { … }`, `entities { … }`) */
  public readonly mapBody = this.RULE('mapBody', () => {
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.mapEntry));
    this.CONSUME(RCurly);
  });

  /** mapEntry := NAME ':' value   (NAME: an identifier or a keyword, as in `entities { file: fd.name }`) */
  public readonly mapEntry = this.RULE('mapEntry', () => {
    this.CONSUME(Name);
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });

  /** conditionMember := 'condition' ':' expr */
  public readonly conditionMember = this.RULE('conditionMember', () => {
    this.CONSUME(Condition);
    this.CONSUME(Colon);
    this.SUBRULE(this.expr);
  });

  /** scheduleMember := 'schedule' ':' ( 'every' DURATION ('lookback' DURATION)? | 'realtime' ) */
  public readonly scheduleMember = this.RULE('scheduleMember', () => {
    this.CONSUME(Schedule);
    this.CONSUME(Colon);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Every);
          this.CONSUME(Duration);
          this.OPTION(() => {
            this.CONSUME(Lookback);
            this.CONSUME2(Duration);
          });
        },
      },
      { ALT: () => this.CONSUME(Realtime) },
    ]);
  });

  /** suppressMember := 'suppress' ':' ('by' keyList)? 'for' DURATION */
  public readonly suppressMember = this.RULE('suppressMember', () => {
    this.CONSUME(Suppress);
    this.CONSUME(Colon);
    this.OPTION(() => {
      this.CONSUME(By);
      this.SUBRULE(this.keyList);
    });
    this.CONSUME(For);
    this.CONSUME(Duration);
  });

  /** thresholdMember := 'threshold' ':' 'count' '>=' NUMBER ('by' keyList)? 'within' DURATION */
  public readonly thresholdMember = this.RULE('thresholdMember', () => {
    this.CONSUME(Threshold);
    this.CONSUME(Colon);
    this.CONSUME(Count);
    this.CONSUME(GtEq);
    this.CONSUME(NumberLiteral);
    this.OPTION(() => {
      this.CONSUME(By);
      this.SUBRULE(this.keyList);
    });
    this.CONSUME(Within);
    this.CONSUME(Duration);
  });

  /** sequenceMember := 'sequence' ('by' keyList)? 'within' DURATION '{' step+ '}' */
  public readonly sequenceMember = this.RULE('sequenceMember', () => {
    this.CONSUME(Sequence);
    this.OPTION(() => {
      this.CONSUME(By);
      this.SUBRULE(this.keyList);
    });
    this.CONSUME(Within);
    this.CONSUME(Duration);
    this.CONSUME(LCurly);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.step));
    this.CONSUME(RCurly);
  });

  /** step := 'step' IDENT ':' expr */
  public readonly step = this.RULE('step', () => {
    this.CONSUME(Step);
    this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.SUBRULE(this.expr);
  });

  /** testDecl := 'test' STRING ('matches' | 'does' 'not' 'match') testEvents */
  public readonly testDecl = this.RULE('testDecl', () => {
    this.CONSUME(Test);
    this.CONSUME(StringLiteral);
    this.OR([
      { ALT: () => this.CONSUME(Matches) },
      {
        ALT: () => {
          this.CONSUME(Does);
          this.CONSUME(Not);
          this.CONSUME(Match);
        },
      },
    ]);
    this.SUBRULE(this.testEvents);
  });

  /**
   * testEvents := JSON_TEXT | jsonObject | jsonArray | 'file' STRING
   *
   * JSON_TEXT is the lexer's fast path for a whole valid JSON value (see `JsonText` in
   * `tokens.ts`); JSON with comments or errors comes as tokens, for the JSON rules below.
   */
  public readonly testEvents = this.RULE('testEvents', () => {
    this.OR([
      { ALT: () => this.CONSUME(JsonText) },
      { ALT: () => this.SUBRULE(this.jsonObject) },
      { ALT: () => this.SUBRULE(this.jsonArray) },
      {
        ALT: () => {
          this.CONSUME(File);
          this.CONSUME(StringLiteral);
        },
      },
    ]);
  });

  /** keyList := IDENT (',' IDENT)* */
  public readonly keyList = this.RULE('keyList', () => {
    this.CONSUME(Identifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(Identifier);
    });
  });

  /** value := listLiteral | scalar (',' scalar)* */
  public readonly value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.listLiteral) },
      {
        ALT: () => {
          this.SUBRULE(this.scalar);
          this.MANY(() => {
            this.CONSUME(Comma);
            this.SUBRULE2(this.scalar);
          });
        },
      },
    ]);
  });

  /** listLiteral := '[' (scalar (',' scalar)* ','?)? ']' */
  public readonly listLiteral = this.RULE('listLiteral', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.scalar);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.scalar);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  /** scalar := STRING | BLOCK_STRING | NUMBER | DURATION | 'true' | 'false' | IDENT   (the `Scalar` token category) */
  public readonly scalar = this.RULE('scalar', () => {
    this.CONSUME(Scalar);
  });

  /** expr := andExpr ('or' andExpr)* */
  public readonly expr = this.RULE('expr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  /** andExpr := unary ('and' unary)* */
  public readonly andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(And);
      this.SUBRULE2(this.unary);
    });
  });

  /** unary := 'not' unary | primary */
  public readonly unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Not);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  /** primary := '(' expr ')' | IDENT comparisonTail?   (no tail: a macro reference) */
  public readonly primary = this.RULE('primary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expr);
          this.CONSUME(RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Identifier);
          this.OPTION(() => this.SUBRULE(this.comparisonTail));
        },
      },
    ]);
  });

  /**
   * comparisonTail := ('=='|'!='|'<'|'<='|'>'|'>=') scalar caseMode?
   *                 | 'in' (listLiteral | IDENT) caseMode?
   *                 | ('contains'|'startswith'|'endswith'|'regex') scalar caseMode?
   *                 | 'exists'
   * caseMode       := 'cased' | 'nocase'
   */
  public readonly comparisonTail = this.RULE('comparisonTail', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(CompareOp);
          this.SUBRULE(this.scalar);
          this.OPTION(() => this.CONSUME(CaseMode));
        },
      },
      {
        ALT: () => {
          this.CONSUME(In);
          this.OR2([
            { ALT: () => this.SUBRULE(this.listLiteral) },
            { ALT: () => this.CONSUME(Identifier) },
          ]);
          this.OPTION2(() => this.CONSUME2(CaseMode));
        },
      },
      {
        ALT: () => {
          this.CONSUME(StringOp);
          this.SUBRULE2(this.scalar);
          this.OPTION3(() => this.CONSUME3(CaseMode));
        },
      },
      { ALT: () => this.CONSUME(Exists) },
    ]);
  });

  /** jsonValue := jsonObject | jsonArray | STRING | NUMBER | 'true' | 'false' | 'null'   (the last five: the `JsonScalar` category) */
  public readonly jsonValue = this.RULE('jsonValue', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.jsonObject) },
      { ALT: () => this.SUBRULE(this.jsonArray) },
      { ALT: () => this.CONSUME(JsonScalar) },
    ]);
  });

  /** jsonObject := '{' (jsonPair (',' jsonPair)*)? '}' */
  public readonly jsonObject = this.RULE('jsonObject', () => {
    this.CONSUME(LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.jsonPair);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.jsonPair);
      });
    });
    this.CONSUME(RCurly);
  });

  /** jsonPair := STRING ':' jsonValue */
  public readonly jsonPair = this.RULE('jsonPair', () => {
    this.CONSUME(StringLiteral);
    this.CONSUME(Colon);
    this.SUBRULE(this.jsonValue);
  });

  /** jsonArray := '[' (jsonValue (',' jsonValue)*)? ']' */
  public readonly jsonArray = this.RULE('jsonArray', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.jsonValue);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.jsonValue);
      });
    });
    this.CONSUME(RBracket);
  });
}

/** The shared parser instance (building one takes a grammar analysis; parsing resets it). */
export const detParser = new DetParser();

/** Parse a token vector with the shared parser: the `file` CST and every recognition error. */
export function parseTokens(tokens: IToken[]): { cst: CstNode; errors: IRecognitionException[] } {
  detParser.input = tokens;
  const cst = withoutStacks(() => detParser.file());
  return { cst, errors: detParser.errors };
}

/**
 * Runs `f` with no stack traces captured for errors: Chevrotain throws an exception object for
 * every syntax error and recovery step, and capturing a stack for each was most of the time of
 * parsing broken input. (Nothing reads their stacks: they become diagnostics.)
 */
function withoutStacks<T>(f: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return f();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

let firstErrorParser: DetParser | undefined;

/**
 * The first recognition error of a token vector, or `undefined` when it parses: a parser without
 * recovery stops there, so a broken input costs no more than the tokens up to its first error
 * (recovery goes on and may throw at every following token). Built on first use: valid input
 * never needs it.
 */
export function firstParseError(tokens: IToken[]): IRecognitionException | undefined {
  firstErrorParser ??= new DetParser(false, false);
  firstErrorParser.input = tokens;
  withoutStacks(() => firstErrorParser!.file());
  return firstErrorParser.errors[0];
}
