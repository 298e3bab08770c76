import type { AST } from '@eslint-community/regexpp';
import { regexSyntaxError } from '../regex.js';
import { parseRegexPattern } from './regex-syntax.js';

/** Options of {@link checkRegexSafety}. */
export interface RegexSafetyOptions {
  /** Longest accepted pattern, in UTF-16 code units. Default 1,000. */
  readonly maxLength?: number;
  /**
   * Most variable quantifiers (any whose minimum and maximum differ: `*`, `+`, `?`, `{0,100}`,
   * `{2,}`) in one pattern. Default 3.
   */
  readonly maxVariableQuantifiers?: number;
  /**
   * The longest text the pattern is expected to run on, in characters: an unbounded quantifier
   * counts as this many choices, and an unanchored search as this many start positions, when the
   * backtracking potential is estimated. Default 1,000.
   */
  readonly maxSubjectLength?: number;
  /**
   * Highest accepted backtracking potential (see {@link checkRegexSafety}). The default,
   * 10,000,000, keeps the worst case to a few tens of milliseconds per text in V8.
   */
  readonly maxBacktrackingPotential?: number;
  /** The `$options` the pattern runs with: with `m`, `^` matches at every line start. */
  readonly flags?: string;
}

interface WalkState {
  variable: number;
  /** Product of the choices of every variable quantifier and alternation. */
  potential: number;
  readonly subjectLength: number;
}

/**
 * The conservative structural test behind {@link checkRegexSafety}: inside a repeating quantifier
 * (maximum above 1), no variable-length quantifier (`(a+)+`, `(a?)*`: star height above 1) and no
 * alternation (`(a|a)*`, `(a|aa)+`: overlapping alternatives make the same text match in
 * exponentially many ways); no backreferences anywhere (matching with them is NP-hard). Counts
 * the variable quantifiers and multiplies their choices into the potential on the way.
 */
function unsafeConstruct(
  node: AST.Node,
  repeating: boolean,
  trailing: boolean,
  state: WalkState,
): string | null {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
    case 'Assertion': {
      if (!('alternatives' in node)) return null;
      if (repeating && node.alternatives.length > 1) {
        return `alternation inside a repeated group ("${node.raw}"): overlapping alternatives backtrack exponentially; use a character class or move the alternation out of the repetition`;
      }
      // A failure after the group retries each alternative: they multiply like choices.
      state.potential *= node.alternatives.length;
      // What follows a lookaround is not what follows its contents: nothing inside trails.
      const inner = trailing && node.type !== 'Assertion';
      for (const alternative of node.alternatives) {
        const reason = unsafeConstruct(alternative, repeating, inner, state);
        if (reason !== null) return reason;
      }
      return null;
    }
    case 'Alternative':
      for (const [index, element] of node.elements.entries()) {
        const last = trailing && index === node.elements.length - 1;
        const reason = unsafeConstruct(element, repeating, last, state);
        if (reason !== null) return reason;
      }
      return null;
    case 'Quantifier': {
      if (repeating && node.min !== node.max) {
        return `a quantifier inside a repeated group ("${node.raw}"): nested quantifiers backtrack exponentially`;
      }
      if (node.min !== node.max) {
        state.variable += 1;
        // A quantifier that may match nothing and ends the pattern succeeds the first time it is
        // reached, so it never multiplies the retries of what comes before it.
        if (!(trailing && node.min === 0)) {
          const choices = Math.min(node.max - node.min + 1, state.subjectLength + 1);
          state.potential *= choices;
        }
      }
      return unsafeConstruct(node.element, repeating || node.max > 1, false, state);
    }
    case 'Backreference':
      return `a backreference ("${node.raw}"): matching with backreferences can take exponential time`;
    default:
      return null;
  }
}

/** Whether every top-level alternative starts with `^`, so a search tries one start position. */
function anchoredAtStart(pattern: AST.Pattern): boolean {
  return pattern.alternatives.every((alternative) => {
    const first = alternative.elements[0];
    return first?.type === 'Assertion' && first.kind === 'start';
  });
}

/**
 * Tells whether a `$regex` pattern is safe to run with a backtracking engine (JavaScript's, PCRE,
 * .NET), or why not. Returns `null` when it is safe, otherwise a sentence saying what is wrong.
 *
 * A conservative structural check, not a proof. It rejects:
 * - patterns longer than `maxLength`, and patterns that do not compile;
 * - exponential constructs: star height above 1 (`(a+)+`, `(a?)*`), alternation inside a
 *   repetition (`(a|a)*`), backreferences;
 * - more than `maxVariableQuantifiers` variable quantifiers — every quantifier whose minimum and
 *   maximum differ, bounded or not (`.{0,100}` backtracks as much as `.*` on a short title);
 * - a backtracking potential above `maxBacktrackingPotential`.
 *
 * The potential estimates the most ways a backtracking engine can try to match one text: the
 * number of start positions (1 when every alternative starts with `^` and `m` is off, otherwise
 * `maxSubjectLength`), times, for every variable quantifier, its number of choices
 * (max − min + 1, with an unbounded or larger maximum counted as `maxSubjectLength` + 1), times the
 * number of alternatives of every alternation. It treats all quantifiers as able to match
 * overlapping text (the case behind polynomial blow-up: in `.*a.*b` each `.*` can take any share
 * of a run of `a`s), so it over-estimates patterns whose pieces cannot overlap; the one exception
 * it makes is a quantifier that ends the pattern and may match nothing (`foo.*`), which succeeds
 * the first time it is reached. Measured in V8: `.{0,100}`×3 + `X` (potential 10⁹) takes 2.5 s on
 * a 1,000-character text and `\d+\d+x` (10⁹) 0.3 s, while the default limit of 10⁷ allows
 * `phishing.*(invoice|payment)` (2·10⁶) and `^.*error.*timeout` (10⁶).
 *
 * It also rejects some safe patterns (`(?:ab|cd)+`, `^(?:[a-z]+\.)+com$`), which can always be
 * rewritten. Surveyed and not used: safe-regex2 (the same star-height rule, but misses `(a|a)*`),
 * redos-detector and recheck (thorough, but they take from tens of milliseconds to seconds per
 * pattern and reject plain `foo.*bar`). The matcher of this package does not depend on this check:
 * it runs `$regex` with a linear-time engine (see `compileIncidentMatcher`).
 */
export function checkRegexSafety(pattern: string, options: RegexSafetyOptions = {}): string | null {
  if (typeof pattern !== 'string') return 'the pattern is not a string';
  const tooLong = lengthProblem(pattern, options);
  if (tooLong !== null) return tooLong;
  const syntaxError = regexSyntaxError(pattern);
  if (syntaxError !== null) return `the pattern does not compile: ${syntaxError}`;
  const ast = parseRegexPattern(pattern);
  if (typeof ast === 'string') return `the pattern does not parse: ${ast}`;
  return treeProblem(ast, options);
}

/**
 * {@link checkRegexSafety} for a pattern that is known to compile and has been parsed already: the
 * matcher parses each pattern once, for this check and for its linear-time translation alike.
 */
export function checkParsedRegexSafety(
  pattern: string,
  ast: AST.Pattern,
  options: RegexSafetyOptions = {},
): string | null {
  return lengthProblem(pattern, options) ?? treeProblem(ast, options);
}

function lengthProblem(pattern: string, options: RegexSafetyOptions): string | null {
  const maxLength = options.maxLength ?? 1000;
  return pattern.length > maxLength
    ? `the pattern is ${pattern.length} characters long; at most ${maxLength} are accepted`
    : null;
}

function treeProblem(ast: AST.Pattern, options: RegexSafetyOptions): string | null {
  const maxVariable = options.maxVariableQuantifiers ?? 3;
  const subjectLength = options.maxSubjectLength ?? 1000;
  const budget = options.maxBacktrackingPotential ?? 10_000_000;
  const state: WalkState = { variable: 0, potential: 1, subjectLength };
  const reason = unsafeConstruct(ast, false, true, state);
  if (reason !== null) return reason;
  if (state.variable > maxVariable) {
    return `${state.variable} variable quantifiers (*, +, ?, {m,n}); at most ${maxVariable} are accepted, because each can multiply backtracking by the text's length`;
  }
  const multiline = options.flags?.includes('m') ?? false;
  const starts = anchoredAtStart(ast) && !multiline ? 1 : subjectLength;
  const potential = starts * state.potential;
  if (potential > budget) {
    return `a backtracking potential of about ${potential.toExponential(1)} tries on a ${subjectLength}-character text (quantifier choices × alternatives × start positions); at most ${budget.toExponential(1)} are accepted: anchor the pattern with ^, or use fewer or narrower quantifiers`;
  }
  return null;
}
