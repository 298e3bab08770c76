import type { ErrorObject } from 'ajv/dist/2020.js';
import type { DocumentAjv } from './document-ajv.js';
import { escapePointerToken, pointerDepth } from './json-pointer.js';

/** One reason why a value does not match the contract. */
export interface ValidationIssue {
  /**
   * JSON pointer (RFC 6901) to the offending value or property inside the validated value, for
   * example `/CommandParams/Event IDs/0`. For a missing or forbidden property it points at that
   * property. `""` is the value itself.
   */
  readonly path: string;
  /** What is wrong, in Ajv's wording, for example `must be integer`. */
  readonly message: string;
}

const UNION_KEYWORDS = new Set(['anyOf', 'oneOf']);

function errorKey(error: ErrorObject): string {
  return [
    error.instancePath,
    error.keyword,
    error.message,
    error.propertyName ?? '',
    JSON.stringify(error.params),
  ].join('\u0000');
}

function isFailedUnion(error: ErrorObject): boolean {
  if (!UNION_KEYWORDS.has(error.keyword)) return false;
  // A oneOf that failed because several branches matched has no failing branch to choose from.
  const passing: unknown = (error.params as { passingSchemas?: unknown }).passingSchemas;
  return passing === undefined || passing === null;
}

/** Keywords whose error is about a property of the value at `instancePath`, one level down. */
const PROPERTY_KEYWORDS = new Set([
  'required',
  'dependentRequired',
  'additionalProperties',
  'unevaluatedProperties',
]);

/** How deep into the value an error points: a missing or extra property counts as its own depth. */
function errorDepth(error: ErrorObject): number {
  const below = PROPERTY_KEYWORDS.has(error.keyword) || error.propertyName !== undefined ? 1 : 0;
  return pointerDepth(error.instancePath) + below;
}

function deepestPath(errors: readonly ErrorObject[], floor: number): number {
  return errors.reduce((depth, error) => Math.max(depth, errorDepth(error)), floor);
}

/**
 * An anyOf/oneOf failure makes Ajv report the errors of every branch, most of which are noise
 * ("must be string", "must be number", ... for a date in the wrong format). For each failed union,
 * this re-validates the value against each branch on its own and keeps the branch that is the
 * closest match: the one that got furthest into the value (deepest error), then one whose type
 * matches, then the one with the fewest errors. The errors that only the other branches produced
 * are dropped. When several branches are equally close, all of their errors stay: each is a
 * plausible fix.
 */
function dropLosingBranches(errors: readonly ErrorObject[], ajv: DocumentAjv): ErrorObject[] {
  const dropped = new Set<string>();
  const unions = errors
    .filter(isFailedUnion)
    .sort((a, b) => pointerDepth(a.instancePath) - pointerDepth(b.instancePath));

  for (const union of unions) {
    const branches: unknown = union.schema;
    if (dropped.has(errorKey(union)) || !Array.isArray(branches)) continue;
    const branchesPointer = ajv.pointerOf(branches);
    if (branchesPointer === undefined) continue;

    const unionDepth = pointerDepth(union.instancePath);
    const ranked = branches.map((_, index) => {
      const validate = ajv.validatorAt(`${branchesPointer}/${index}`);
      validate(union.data);
      const branchErrors = (validate.errors ?? []).map((error) => ({
        ...error,
        instancePath: union.instancePath + error.instancePath,
      }));
      const typeMismatch = branchErrors.some(
        (error) => error.keyword === 'type' && error.instancePath === union.instancePath,
      );
      return { branchErrors, depth: deepestPath(branchErrors, unionDepth), typeMismatch };
    });

    const bestDepth = Math.max(...ranked.map((branch) => branch.depth));
    const deepest = ranked.filter((branch) => branch.depth === bestDepth);
    const typed = deepest.some((branch) => !branch.typeMismatch)
      ? deepest.filter((branch) => !branch.typeMismatch)
      : deepest;
    const fewestErrors = Math.min(...typed.map((branch) => branch.branchErrors.length));
    const winners = new Set(typed.filter((branch) => branch.branchErrors.length === fewestErrors));
    const isWinner = (branch: (typeof ranked)[number]) => winners.has(branch);
    if (ranked.every(isWinner)) continue;

    const kept = new Set(ranked.filter(isWinner).flatMap((b) => b.branchErrors.map(errorKey)));
    for (const branch of ranked.filter((b) => !isWinner(b))) {
      for (const error of branch.branchErrors) {
        const key = errorKey(error);
        if (!kept.has(key)) dropped.add(key);
      }
    }
    if (bestDepth > unionDepth) dropped.add(errorKey(union));
  }
  return errors.filter((error) => !dropped.has(errorKey(error)));
}

function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  const at = (property: unknown) => `${error.instancePath}/${escapePointerToken(String(property))}`;
  switch (error.keyword) {
    case 'required':
    case 'dependentRequired':
      return { path: at(params.missingProperty), message: error.message ?? 'is required' };
    case 'additionalProperties':
      return { path: at(params.additionalProperty), message: 'is not an allowed property' };
    case 'unevaluatedProperties':
      return { path: at(params.unevaluatedProperty), message: 'is not an allowed property' };
    case 'enum':
      return {
        path: error.instancePath,
        message: `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return {
        path: error.instancePath,
        message: `must be equal to ${JSON.stringify(params.allowedValue)}`,
      };
    default:
      if (error.propertyName !== undefined) {
        const message =
          error.keyword === 'not'
            ? 'is not an allowed property name here'
            : `property name ${error.message ?? 'is not allowed'}`;
        return { path: at(error.propertyName), message };
      }
      return { path: error.instancePath, message: error.message ?? `fails "${error.keyword}"` };
  }
}

function typeMessage(types: readonly string[]): string {
  const listed =
    types.length === 1 ? types[0] : `${types.slice(0, -1).join(', ')} or ${types.at(-1)}`;
  return `must be ${listed}`;
}

/**
 * Merges the type issues of one path ("must be string", "must be number", Ajv's "must be
 * string,null") into one readable issue: "must be string, number or null".
 */
function mergeTypeIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const merged: ValidationIssue[] = [];
  const typeIssueAt = new Map<string, { index: number; types: string[] }>();
  for (const issue of issues) {
    const types = /^must be (\w+(?:,\w+)*)$/.exec(issue.message)?.[1]?.split(',');
    if (types === undefined) {
      merged.push(issue);
      continue;
    }
    let entry = typeIssueAt.get(issue.path);
    if (entry === undefined) {
      entry = { index: merged.length, types: [] };
      typeIssueAt.set(issue.path, entry);
      merged.push(issue);
    }
    const known = entry.types;
    known.push(...types.filter((type) => !known.includes(type)));
    merged[entry.index] = { path: issue.path, message: typeMessage(known) };
  }
  return merged;
}

/**
 * Turns Ajv's errors into issues that name the failing field and say what is wrong, without the
 * noise of union branches that are clearly not what the caller meant.
 */
export function explainErrors(errors: readonly ErrorObject[], ajv: DocumentAjv): ValidationIssue[] {
  const relevant = dropLosingBranches(errors, ajv);
  // The parent of a propertyNames failure only repeats its child ("property name must be valid").
  const informative = relevant.filter(
    (error) => !(error.keyword === 'propertyNames' && relevant.length > 1),
  );
  const issues = mergeTypeIssues(informative.map(toIssue));
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // "must match a schema in anyOf" adds nothing when the branches' own issues are listed.
  return unique.filter(
    (issue) =>
      !/^must match (a schema in anyOf|exactly one schema in oneOf)$/.test(issue.message) ||
      !unique.some(
        (other) =>
          other !== issue && (other.path === issue.path || other.path.startsWith(`${issue.path}/`)),
      ),
  );
}
