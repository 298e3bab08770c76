import type { AttackCandidate } from './types.js';

/** Why a tactic or technique lookup failed. */
export type AttackLookupErrorCode = 'not_found' | 'ambiguous' | 'revoked' | 'deprecated';

/** Whether a failed lookup was for a tactic or a technique. */
export type AttackLookupKind = 'tactic' | 'technique';

/** Thrown when a tactic or technique input does not resolve to exactly one usable entry. */
export class AttackLookupError extends Error {
  override readonly name = 'AttackLookupError';
  /**
   * `not_found`: nothing matches (`candidates` are ranked suggestions); `ambiguous`: a bare
   * sub-technique name matches several (`candidates` are all of them); `revoked`: the input names
   * a revoked technique and the caller asked for errors, or it has no replacement (`candidates`
   * hold the replacement, if any); `deprecated`: the input names a deprecated technique and the
   * caller asked for errors.
   */
  readonly code: AttackLookupErrorCode;
  /** The input exactly as given. */
  readonly input: string;
  /** Whether a tactic or a technique was looked up. */
  readonly kind: AttackLookupKind;
  /** Matches or suggestions, each with its ID and the name to send to D3. */
  readonly candidates: readonly AttackCandidate[];

  constructor(
    code: AttackLookupErrorCode,
    kind: AttackLookupKind,
    input: string,
    candidates: readonly AttackCandidate[],
    message: string,
  ) {
    super(message);
    this.code = code;
    this.kind = kind;
    this.input = input;
    this.candidates = Object.freeze(candidates.slice());
  }
}

/** `T1078.004 "Valid Accounts: Cloud Accounts"`, the way errors list candidates. */
export function describeCandidate(candidate: AttackCandidate): string {
  return `${candidate.id} "${candidate.d3Name}"`;
}
