// What D3 may not take in checked Search Conditions: reported, never refused (the parser refuses
// only what is certainly wrong). Computed from the checked value, so the builder's output, a
// parsed text and a caller's object all get the same warnings.
import type { D3Warning } from '@d3soar/support';

import type { CheckedSearchConditions } from './checked.js';
import { pointer } from './errors.js';
import { otherDialectConstructs, regexDialectProblem } from './regex.js';
import { EXTENSION_OPERATORS } from './types.js';

const extensions: ReadonlySet<string> = new Set(EXTENSION_OPERATORS);

/**
 * The warnings of checked Search Conditions, in field order:
 * - `extension-operator`: `$gte`, `$lte` or `$options`, which the vendor does not show;
 * - `empty-in`: an empty `$in`, which matches no incident;
 * - `regex-not-javascript`: a pattern with constructs PCRE/.NET take but JavaScript lacks
 *   (`(?i)`, atomic groups, ...): D3 may run it, a JavaScript evaluation (the mock's) cannot;
 * - `regex-dialect`: an escaped letter JavaScript reads as the letter (`\p{L}`, `\A`), which D3's
 *   engines may read as a class or an anchor.
 */
export function searchConditionWarnings(conditions: CheckedSearchConditions): D3Warning[] {
  const warnings: D3Warning[] = [];
  for (const [field, condition] of Object.entries(conditions)) {
    if (typeof condition !== 'object') continue;
    for (const operator of Object.keys(condition)) {
      if (!extensions.has(operator)) continue;
      warnings.push({
        code: 'extension-operator',
        path: pointer(field, operator),
        message: `${operator} is this SDK's extension: the vendor documents $regex, $in, $date, and $gt/$lt with a $date, so a D3 installation may refuse it`,
      });
    }
    if (condition.$in !== undefined && condition.$in.length === 0) {
      warnings.push({
        code: 'empty-in',
        path: pointer(field, '$in'),
        message: `$in is empty, so no incident matches ${field}: the command will find no incident`,
      });
    }
    const pattern = condition.$regex;
    if (pattern === undefined) continue;
    const other = otherDialectConstructs(pattern, condition.$options ?? '');
    if (other !== null) {
      warnings.push({
        code: 'regex-not-javascript',
        path: pointer(field, '$regex'),
        message: `the pattern uses ${other.join(' and ')}, which PCRE and .NET take but JavaScript does not: D3 may run it, but it was checked less, and a JavaScript evaluation (the mock's) cannot run it`,
      });
      continue;
    }
    const dialect = regexDialectProblem(pattern);
    if (dialect !== null) {
      warnings.push({ code: 'regex-dialect', path: pointer(field, '$regex'), message: dialect });
    }
  }
  return warnings;
}
