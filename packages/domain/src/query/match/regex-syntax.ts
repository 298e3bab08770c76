import { RegExpParser, type AST } from '@eslint-community/regexpp';

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
