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

const parser = new RegExpParser({ ecmaVersion: 2024 });

/**
 * The syntax tree of a pattern as JavaScript reads it without the `u` flag (the way `$regex`
 * strings are compiled here), or why it does not parse.
 */
export function parseRegexPattern(pattern: string): AST.Pattern | string {
  try {
    return parser.parsePattern(pattern, 0, pattern.length, { unicode: false });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Calls `visit` on every node of the tree, depth first. */
function walk(node: AST.Node, visit: (node: AST.Node) => void): void {
  visit(node);
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      for (const alternative of node.alternatives) walk(alternative, visit);
      return;
    case 'Assertion':
      if ('alternatives' in node)
        for (const alternative of node.alternatives) walk(alternative, visit);
      return;
    case 'Alternative':
      for (const element of node.elements) walk(element, visit);
      return;
    case 'Quantifier':
      walk(node.element, visit);
      return;
    case 'CharacterClass':
      for (const element of node.elements) walk(element, visit);
      return;
    default:
      return;
  }
}

const ASCII_LETTER = /^\\[A-Za-z]$/;
/**
 * A backslash before a letter that is no JavaScript escape of its own: a pattern without one has
 * no identity-escaped letter, so it needs no parsing (the builder checks every pattern it takes).
 */
const MAYBE_LETTER_ESCAPE = /\\(?![dDwWsSbtnrvf])[A-Za-z]/;

/**
 * Why a pattern would mean one thing here and another to D3, or `null`. JavaScript without the
 * `u` flag reads an escaped letter that is no JavaScript escape (`\p`, `\A`, `\z`, `\h`, `\e`,
 * `\Q`, `\x` without two hex digits, ...) as the letter itself, while PCRE and .NET give many of
 * them a meaning: `\p{L}` is "any letter" there but the text `p{L}` here, `\A` and `\z` are
 * anchors there but the letters `A` and `z` here. Such a pattern cannot be evaluated faithfully,
 * so it is refused rather than silently matched differently. A pattern that does not parse is left
 * to the syntax check.
 */
export function regexDialectProblem(pattern: string): string | null {
  if (!MAYBE_LETTER_ESCAPE.test(pattern)) return null;
  const ast = parseRegexPattern(pattern);
  if (typeof ast === 'string') return null;
  let problem: string | null = null;
  walk(ast, (node) => {
    if (problem !== null || node.type !== 'Character' || !ASCII_LETTER.test(node.raw)) return;
    const letter = node.raw.slice(1);
    if (node.value !== letter.charCodeAt(0)) return;
    problem =
      letter === 'p' || letter === 'P'
        ? `"${node.raw}" at ${node.start}: \\${letter}{…} is a Unicode property class in PCRE and .NET but the literal letter "${letter}" in JavaScript without the u flag; write the characters out (e.g. [A-Za-z] for letters)`
        : `"${node.raw}" at ${node.start}: JavaScript reads it as the letter "${letter}", while PCRE and .NET may give it a meaning; write "${letter}" without the backslash`;
  });
  return problem;
}

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
  const maxLength = options.maxLength ?? 1000;
  const maxVariable = options.maxVariableQuantifiers ?? 3;
  const subjectLength = options.maxSubjectLength ?? 1000;
  const budget = options.maxBacktrackingPotential ?? 10_000_000;
  if (typeof pattern !== 'string') return 'the pattern is not a string';
  if (pattern.length > maxLength) {
    return `the pattern is ${pattern.length} characters long; at most ${maxLength} are accepted`;
  }
  const syntaxError = regexSyntaxError(pattern);
  if (syntaxError !== null) return `the pattern does not compile: ${syntaxError}`;
  const ast = parseRegexPattern(pattern);
  if (typeof ast === 'string') return `the pattern does not parse: ${ast}`;
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
