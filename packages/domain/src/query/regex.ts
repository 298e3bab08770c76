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

/** Escaped letters that are JavaScript escapes wherever they stand (outside and inside classes). */
const MEANINGFUL_LETTERS = new Set('dDwWsSbtnrvf');
const ASCII_LETTER = /^[A-Za-z]$/;
/**
 * A backslash before a letter that is no JavaScript escape of its own: a pattern without one has
 * no identity-escaped letter, so it needs no scan (the builder checks every pattern it takes).
 */
const MAYBE_LETTER_ESCAPE = /\\(?![dDwWsSbtnrvf])[A-Za-z]/;
/** A named group's opening, `(?<name>`, as opposed to a lookbehind's `(?<=` or `(?<!`. */
const NAMED_GROUP_OPENING = /^\(\?<(?![=!])/;

function isHexDigits(text: string): boolean {
  return /^[0-9A-Fa-f]+$/.test(text);
}

/**
 * Whether a pattern has a named group, which makes `\k` a backreference rather than a letter.
 * Scans as {@link regexDialectProblem} does, so that an escaped `(` or one inside a class is not
 * taken for a group.
 */
function hasNamedGroup(pattern: string): boolean {
  let inClass = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '\\') index += 1;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(' && NAMED_GROUP_OPENING.test(pattern.slice(index, index + 4))) return true;
  }
  return false;
}

/**
 * Whether `\<letter>` at `index` is an escape JavaScript gives a meaning to, rather than the
 * letter itself: the character class escapes, `\b` (a word boundary, or backspace inside a
 * class), `\B` outside a class, the control escapes, `\xHH`, `\uHHHH`, and `\k` in a pattern
 * with named groups.
 */
function isMeaningfulEscape(
  pattern: string,
  index: number,
  inClass: boolean,
  namedGroups: boolean,
): boolean {
  const letter = pattern[index + 1] ?? '';
  if (MEANINGFUL_LETTERS.has(letter)) return true;
  switch (letter) {
    case 'B':
      return !inClass;
    case 'x':
      return isHexDigits(pattern.slice(index + 2, index + 4)) && index + 4 <= pattern.length;
    case 'u':
      return isHexDigits(pattern.slice(index + 2, index + 6)) && index + 6 <= pattern.length;
    case 'k':
      return namedGroups;
    default:
      return false;
  }
}

/**
 * Why a pattern may mean one thing here and another to D3, or `null`. JavaScript without the
 * `u` flag reads an escaped letter that is no JavaScript escape (`\p`, `\A`, `\z`, `\h`, `\e`,
 * `\Q`, `\x` without two hex digits, ...) as the letter itself, while PCRE and .NET give many of
 * them a meaning: `\p{L}` is "any letter" there but the text `p{L}` here, `\A` and `\z` are
 * anchors there but the letters `A` and `z` here. D3 runs such a pattern its own way, so it is
 * sent with a warning (`regex-dialect`): only a JavaScript evaluation (the mock's) differs.
 *
 * Meant for patterns that compile (`new RegExp(pattern)`); for others the answer is unspecified
 * but it never throws. A scan of the escapes rather than a full parse: it is all the check needs,
 * and it keeps a regular-expression parser out of the builder.
 */
export function regexDialectProblem(pattern: string): string | null {
  if (!MAYBE_LETTER_ESCAPE.test(pattern)) return null;
  const namedGroups = hasNamedGroup(pattern);
  let inClass = false;
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char !== '\\') {
      if (inClass) inClass = char !== ']';
      else if (char === '[') inClass = true;
      index += 1;
      continue;
    }
    const next = pattern[index + 1] ?? '';
    if (next === 'c') {
      // `\cX` is a control character; when no control letter follows (Annex B), the backslash
      // stands for itself and `c` is read next as a plain letter.
      const control = pattern[index + 2] ?? '';
      index += ASCII_LETTER.test(control) || (inClass && /^[0-9_]$/.test(control)) ? 3 : 1;
      continue;
    }
    if (ASCII_LETTER.test(next) && !isMeaningfulEscape(pattern, index, inClass, namedGroups)) {
      const raw = `\\${next}`;
      return next === 'p' || next === 'P'
        ? `"${raw}" at ${index}: \\${next}{…} is a Unicode property class in PCRE and .NET but the literal letter "${next}" in JavaScript without the u flag; write the characters out (e.g. [A-Za-z] for letters)`
        : `"${raw}" at ${index}: JavaScript reads it as the letter "${next}", while PCRE and .NET may give it a meaning; write "${next}" without the backslash`;
    }
    index += 2;
  }
  return null;
}

/**
 * Constructs that PCRE and .NET take but JavaScript does not compile, each with the JavaScript
 * construct that plays its part for a compile check: inline flags (`(?i)`, `(?im-s:`), atomic
 * groups (`(?>`), possessive quantifiers (`a++`), Python-style named groups (`(?P<name>`).
 */
const OTHER_DIALECT: readonly (readonly [RegExp, string, string])[] = [
  [/\(\?[imsxn-]+\)/g, '', 'inline flags such as (?i)'],
  [/\(\?[imsxn-]+:/g, '(?:', 'scoped inline flags such as (?i:...)'],
  [/\(\?>/g, '(?:', 'atomic groups (?>...)'],
  [/([*+?}])\+/g, '$1', 'possessive quantifiers such as a++'],
  [/\(\?P</g, '(?<', 'Python-style named groups (?P<name>...)'],
];

/**
 * For a pattern JavaScript cannot compile, the constructs it uses that PCRE or .NET (D3's engines)
 * take but JavaScript lacks; `null` for a pattern JavaScript compiles, or one that still does not
 * compile without them (unbalanced brackets, a dangling quantifier: wrong in every engine).
 */
export function otherDialectConstructs(pattern: string, flags = ''): string[] | null {
  if (compiles(pattern, flags)) return null;
  let rewritten = pattern;
  const found: string[] = [];
  for (const [construct, replacement, name] of OTHER_DIALECT) {
    const next = rewritten.replace(construct, replacement);
    if (next !== rewritten) found.push(name);
    rewritten = next;
  }
  return found.length > 0 && compiles(rewritten, flags) ? found : null;
}

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}
