/**
 * Something the SDK is not sure D3 takes: the input is sent as given, and the warning says what is
 * uncertain and why. The SDK refuses only what is certainly wrong; everything else it reports this
 * way, in the `warnings` of validation, detection and preview results.
 */
export interface D3Warning {
  /** A stable, kebab-case identifier of the rule, e.g. `ip-not-public` (listed in each README). */
  readonly code: string;
  /** Where in the input: a field name or a JSON-pointer-like path, e.g. `CreatedUtcTime/$gte`. */
  readonly path: string;
  /** One sentence for people: what was found, why it may not work, what is sent. */
  readonly message: string;
}
