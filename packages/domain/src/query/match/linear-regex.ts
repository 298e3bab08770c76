import type { AST } from '@eslint-community/regexpp';
import { RE2JS } from 're2js';
import { parseRegexPattern } from './regex-syntax.js';

/*
 * `$regex` patterns are evaluated with RE2 (re2js, a pure-JavaScript port of RE2/Go regexp): its
 * automata run in time linear in the text, whatever the pattern, so no pattern — not even one
 * the ReDoS guard would miss — can stall a matcher.
 *
 * RE2 reads a different syntax from JavaScript (`\s` is ASCII only, `.` excludes only `\n`, `\a`
 * is the bell character, `[^]` and `[]` are errors or mean other things), so a pattern is not
 * handed over as text. It is parsed the way JavaScript parses it (regexpp, no `u` flag, like
 * `new RegExp(pattern, flags)`) and re-emitted node by node in RE2 syntax with JavaScript's
 * meaning: every character as `\x{…}`, `\d`/`\w`/`\s`/`.` as explicit classes, `^`/`$` as `\A`/`\z`
 * (or line anchors with `m`). re2js's own `translateRegExp` was not used: it passes `\s`, `.` and
 * letter escapes through unchanged, so they would silently match differently.
 *
 * What RE2 cannot do is refused, never approximated: backreferences and lookaround (`(?=`,
 * `(?!`, `(?<=`, `(?<!`), and repetition counts above 1,000 (RE2's limit, which also bounds
 * nested counts). Remaining differences from JavaScript, all at the edges:
 * - with `m`, only `\n` ends a line for `^` and `$` (JavaScript also breaks at `\r`, U+2028 and
 *   U+2029; PCRE, MongoDB's engine, breaks at `\n` only, as here);
 * - RE2 matches code points where JavaScript without `u` matches UTF-16 code units, so `.` or a
 *   negated class takes a whole astral character (an emoji) rather than half of it;
 * - with `i`, RE2 folds case by Unicode simple case folding, so `s` also matches `ſ` (U+017F) and
 *   `k` the Kelvin sign (U+212A), which JavaScript without `u` does not.
 */

const MAX_CODE_POINT = 0x10ffff;

/** A set of code points as sorted, disjoint, inclusive ranges. */
type Ranges = readonly (readonly [number, number])[];

const DIGIT: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
/** JavaScript's `\s`: WhiteSpace and LineTerminator of ECMA-262. */
const SPACE: Ranges = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
/** What `.` does not match without the `s` flag: the LineTerminators. */
const LINE_TERMINATORS: Ranges = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function complement(ranges: Ranges): Ranges {
  const result: [number, number][] = [];
  let next = 0;
  for (const [low, high] of ranges) {
    if (low > next) result.push([next, low - 1]);
    next = Math.max(next, high + 1);
  }
  if (next <= MAX_CODE_POINT) result.push([next, MAX_CODE_POINT]);
  return result;
}

function normalise(ranges: [number, number][]): Ranges {
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [low, high] of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

function codePoint(value: number): string {
  // Letters and digits as they are, for readable output; everything else escaped, so no
  // character can be read as RE2 syntax.
  return /[0-9A-Za-z]/.test(String.fromCharCode(value)) && value < 0x80
    ? String.fromCharCode(value)
    : `\\x{${value.toString(16)}}`;
}

/** An RE2 character class for the set; an empty set becomes a class that matches nothing. */
function rangesClass(ranges: Ranges): string {
  if (ranges.length === 0) return `[^\\x{0}-\\x{${MAX_CODE_POINT.toString(16)}}]`;
  const body = ranges
    .map(([low, high]) => (low === high ? codePoint(low) : `${codePoint(low)}-${codePoint(high)}`))
    .join('');
  return `[${body}]`;
}

/** The RE2 class of everything outside the set. */
function negatedClass(ranges: Ranges): string {
  return ranges.length === 0 ? rangesClass(complement([])) : `[^${rangesClass(ranges).slice(1)}`;
}

function escapeSet(kind: 'digit' | 'space' | 'word', negate: boolean): Ranges {
  const ranges = kind === 'digit' ? DIGIT : kind === 'word' ? WORD : SPACE;
  return negate ? complement(ranges) : ranges;
}

/** Thrown inside the translation for a construct RE2 cannot run; turned into a reason below. */
class Unsupported extends Error {}

interface Flags {
  readonly dotAll: boolean;
  readonly multiline: boolean;
}

function classRanges(node: AST.CharacterClass): Ranges {
  const ranges: [number, number][] = [];
  for (const element of node.elements) {
    switch (element.type) {
      case 'Character':
        ranges.push([element.value, element.value]);
        break;
      case 'CharacterClassRange':
        ranges.push([element.min.value, element.max.value]);
        break;
      case 'CharacterSet':
        if (element.kind === 'property') throw new Unsupported(`"${element.raw}"`);
        for (const range of escapeSet(element.kind, element.negate)) ranges.push([...range]);
        break;
      default:
        throw new Unsupported(`"${element.raw}"`);
    }
  }
  return normalise(ranges);
}

function alternatives(nodes: readonly AST.Alternative[], flags: Flags): string {
  return nodes.map((node) => sequence(node, flags)).join('|');
}

function sequence(node: AST.Alternative, flags: Flags): string {
  let out = '';
  const elements = node.elements;
  for (let index = 0; index < elements.length; index += 1) {
    const element = elements[index];
    if (element === undefined) continue;
    const next = elements[index + 1];
    // Without `u`, JavaScript sees an astral character as two code units; RE2 sees one code
    // point. Two adjacent plain surrogate halves are the same text either way: emit the pair.
    if (
      element.type === 'Character' &&
      next?.type === 'Character' &&
      element.value >= 0xd800 &&
      element.value <= 0xdbff &&
      next.value >= 0xdc00 &&
      next.value <= 0xdfff
    ) {
      out += codePoint(((element.value - 0xd800) << 10) + (next.value - 0xdc00) + 0x10000);
      index += 1;
      continue;
    }
    out += atom(element, flags);
  }
  return out;
}

function atom(node: AST.Element, flags: Flags): string {
  switch (node.type) {
    case 'Character':
      return codePoint(node.value);
    case 'CharacterClass':
      // A negated class stays negated in RE2 rather than being complemented here: under `i`, RE2
      // then folds case before negating, as JavaScript does (`[^a]` takes neither `a` nor `A`).
      return node.negate ? negatedClass(classRanges(node)) : rangesClass(classRanges(node));
    case 'CharacterSet':
      if (node.kind === 'any') {
        return rangesClass(flags.dotAll ? complement([]) : complement(LINE_TERMINATORS));
      }
      if (node.kind === 'property') throw new Unsupported(`"${node.raw}"`);
      return rangesClass(escapeSet(node.kind, node.negate));
    case 'Group':
    case 'CapturingGroup':
      // Captures are never read: every group becomes a plain group.
      return `(?:${alternatives(node.alternatives, flags)})`;
    case 'Quantifier': {
      const { min, max } = node;
      const count =
        max === Infinity
          ? min === 0
            ? '*'
            : min === 1
              ? '+'
              : `{${min},}`
          : min === max
            ? `{${min}}`
            : min === 0 && max === 1
              ? '?'
              : `{${min},${max}}`;
      return `(?:${atom(node.element, flags)})${count}${node.greedy ? '' : '?'}`;
    }
    case 'Assertion':
      switch (node.kind) {
        case 'start':
          return flags.multiline ? '(?m:^)' : '\\A';
        case 'end':
          return flags.multiline ? '(?m:$)' : '\\z';
        case 'word':
          return node.negate ? '\\B' : '\\b';
        default:
          throw new Unsupported(
            `the ${node.kind} "${node.raw}" (RE2 has no lookahead or lookbehind)`,
          );
      }
    case 'Backreference':
      throw new Unsupported(`the backreference "${node.raw}" (RE2 has no backreferences)`);
    default:
      throw new Unsupported(`"${node.raw}"`);
  }
}

/** A `$regex` compiled for linear-time matching. */
export interface LinearRegex {
  /** Whether the pattern matches anywhere in the text, as `RegExp#test` does. */
  test(text: string): boolean;
}

/** `$options` flags as JavaScript takes them: `i`, `m`, `s`. */
function flagsOf(options: string): Flags & { readonly ignoreCase: boolean } {
  return {
    ignoreCase: options.includes('i'),
    multiline: options.includes('m'),
    dotAll: options.includes('s'),
  };
}

/**
 * Compiles a JavaScript `$regex` pattern (with `$options` among `i`, `m`, `s`) for RE2, keeping
 * JavaScript's meaning (see the module comment for the few differences). Returns the compiled
 * regex, or a sentence saying why RE2 cannot run it (a backreference, a lookaround, a repetition
 * count above 1,000) or why it does not parse. `ast` is the pattern's tree, or why it does not
 * parse, when the caller has parsed it already.
 */
export function compileLinearRegex(
  pattern: string,
  options = '',
  ast: AST.Pattern | string = parseRegexPattern(pattern),
): LinearRegex | string {
  if (typeof ast === 'string') return `the pattern does not parse: ${ast}`;
  const flags = flagsOf(options);
  let source: string;
  try {
    source = alternatives(ast.alternatives, flags);
  } catch (error) {
    if (error instanceof Unsupported) {
      return `the linear-time engine cannot evaluate ${error.message}; rewrite the pattern without it`;
    }
    throw error;
  }
  try {
    const compiled = RE2JS.compile(source, flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    return { test: (text: string) => compiled.test(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `the linear-time engine cannot evaluate it: ${message.replace(/^error parsing regexp: /, '')} (RE2 allows repetition counts up to 1,000, nested ones included)`;
  }
}
