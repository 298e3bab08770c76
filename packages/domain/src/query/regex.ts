import { RegExpParser, type AST } from '@eslint-community/regexpp';

const METACHARACTERS = /[\\^$.*+?()[\]{}|-]/g;

/**
 * Escapes every regular-expression metacharacter in `text`, so it matches literally inside a
 * pattern: `escapeRegex('1.2 (beta)')` → `1\.2 \(beta\)`. The escapes are valid in JavaScript and
 * in PCRE (MongoDB's dialect) alike.
 */
export function escapeRegex(text: string): string {
  return text.replace(METACHARACTERS, '\\$&');
}

/** Why a pattern does not compile, or `null`. Compiled as JavaScript without flags, like sift does. */
export function regexSyntaxError(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Options of {@link checkRegexSafety}. */
export interface RegexSafetyOptions {
  /** Longest accepted pattern, in UTF-16 code units. Default 1,000. */
  readonly maxLength?: number;
  /**
   * Most unbounded quantifiers (`*`, `+`, `{n,}`, or a bound above 100) in one pattern. Each one
   * can multiply backtracking by the subject's length (`.*a.*b.*c` is cubic), so with subjects of
   * ~1,000 characters three keep the worst case near a billion steps. Default 3.
   */
  readonly maxUnboundedQuantifiers?: number;
}

const parser = new RegExpParser({ ecmaVersion: 2024 });
const LARGE_BOUND = 100;

type Walked = AST.Node;

interface WalkState {
  unbounded: number;
}

/**
 * The conservative structural test behind {@link checkRegexSafety}: inside a repeating quantifier
 * (maximum above 1), no variable-length quantifier (`(a+)+`, `(a?)*`: star height above 1) and no
 * alternation (`(a|a)*`, `(a|aa)+`: overlapping alternatives make the same text match in
 * exponentially many ways); no backreferences anywhere (matching with them is NP-hard).
 */
function unsafeConstruct(node: Walked, repeating: boolean, state: WalkState): string | null {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
    case 'Assertion':
      if (!('alternatives' in node)) return null;
      if (repeating && node.alternatives.length > 1) {
        return `alternation inside a repeated group ("${node.raw}"): overlapping alternatives backtrack exponentially; use a character class or move the alternation out of the repetition`;
      }
      for (const alternative of node.alternatives) {
        const reason = unsafeConstruct(alternative, repeating, state);
        if (reason !== null) return reason;
      }
      return null;
    case 'Alternative':
      for (const element of node.elements) {
        const reason = unsafeConstruct(element, repeating, state);
        if (reason !== null) return reason;
      }
      return null;
    case 'Quantifier': {
      if (repeating && node.min !== node.max) {
        return `a quantifier inside a repeated group ("${node.raw}"): nested quantifiers backtrack exponentially`;
      }
      if (node.max === Infinity || node.max > LARGE_BOUND) state.unbounded += 1;
      return unsafeConstruct(node.element, repeating || node.max > 1, state);
    }
    case 'Backreference':
      return `a backreference ("${node.raw}"): matching with backreferences can take exponential time`;
    default:
      return null;
  }
}

/**
 * Tells whether a `$regex` pattern is safe to run with a backtracking engine (JavaScript's, PCRE),
 * or why not. Returns `null` when it is safe, otherwise a sentence saying what is wrong.
 *
 * A conservative structural check, not a proof: it rejects every pattern with star height above 1,
 * with alternation inside a repetition, or with a backreference (the constructs behind exponential
 * backtracking), limits the number of unbounded quantifiers (polynomial backtracking) and the
 * pattern's length, and rejects patterns that do not compile. It also rejects some safe patterns
 * (`(?:ab|cd)+`, `^(?:[a-z]+\.)+com$`), which can always be rewritten. The patterns D3 users write
 * (prefixes, alternations of titles, `.*` between words) pass. Surveyed and not used: safe-regex2
 * (the same star-height rule, but misses `(a|a)*`), redos-detector and recheck (thorough, but they
 * take from tens of milliseconds to seconds per pattern and reject plain `foo.*bar`).
 */
export function checkRegexSafety(pattern: string, options: RegexSafetyOptions = {}): string | null {
  const maxLength = options.maxLength ?? 1000;
  const maxUnbounded = options.maxUnboundedQuantifiers ?? 3;
  if (typeof pattern !== 'string') return 'the pattern is not a string';
  if (pattern.length > maxLength) {
    return `the pattern is ${pattern.length} characters long; at most ${maxLength} are accepted`;
  }
  const syntaxError = regexSyntaxError(pattern);
  if (syntaxError !== null) return `the pattern does not compile: ${syntaxError}`;
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(pattern, 0, pattern.length, { unicode: false });
  } catch (error) {
    return `the pattern does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  const state: WalkState = { unbounded: 0 };
  const reason = unsafeConstruct(ast, false, state);
  if (reason !== null) return reason;
  if (state.unbounded > maxUnbounded) {
    return `${state.unbounded} unbounded quantifiers; at most ${maxUnbounded} are accepted, because each can multiply backtracking by the text's length`;
  }
  return null;
}
