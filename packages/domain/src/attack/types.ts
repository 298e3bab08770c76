/** The three ATT&CK matrices MITRE publishes. */
export type AttackDomain = 'enterprise' | 'mobile' | 'ics';

/** An ATT&CK tactic (the "why" of a technique), e.g. TA0001 Initial Access. */
export interface Tactic {
  /** ATT&CK ID, e.g. `TA0001`. */
  readonly id: string;
  /** Display name, e.g. `Initial Access` (this is also the name D3 stores). */
  readonly name: string;
  /** The kill-chain phase name techniques refer to, e.g. `initial-access`. */
  readonly shortname: string;
  /** The tactic's page on attack.mitre.org. */
  readonly url: string;
}

/** A technique or sub-technique, referred to by ID and name. */
export interface TechniqueRef {
  /** ATT&CK ID, e.g. `T1078` or `T1078.004`. */
  readonly id: string;
  /** The technique's own name, e.g. `Cloud Accounts`. */
  readonly name: string;
}

/** An ATT&CK technique or sub-technique. */
export interface Technique extends TechniqueRef {
  /**
   * The name D3 SOAR uses: `Parent: Sub` for sub-techniques (`Valid Accounts: Cloud Accounts`),
   * the technique's own name otherwise.
   */
  readonly d3Name: string;
  /** True for sub-techniques (IDs like `T1078.004`). */
  readonly isSubtechnique: boolean;
  /** The parent technique of a sub-technique; absent for techniques. */
  readonly parent?: TechniqueRef;
  /** The tactics the technique belongs to, in the matrix's tactic order. */
  readonly tactics: readonly Tactic[];
  /** The technique's page on attack.mitre.org. */
  readonly url: string;
  /** True when MITRE deprecated the technique (kept in the data, no longer maintained). */
  readonly deprecated: boolean;
  /**
   * Present when the input named a revoked technique: the revoked techniques that were followed,
   * in order, from the one the input named to the last one before this technique.
   */
  readonly replaces?: readonly TechniqueRef[];
}

/** What to do when the input names a revoked technique. */
export type RevokedPolicy = 'follow' | 'error';

/** What to do when the input names a deprecated technique. */
export type DeprecatedPolicy = 'allow' | 'error';

/** Options of {@link AttackCatalog.technique}. */
export interface TechniqueLookupOptions {
  /**
   * `'follow'` (default): a revoked ID or name resolves to its replacement, following the whole
   * `revoked-by` chain and reporting it in `replaces`. `'error'`: throw an `AttackLookupError` with
   * code `revoked` whose `candidates` hold the replacement.
   */
  readonly revoked?: RevokedPolicy;
  /**
   * `'allow'` (default): deprecated techniques resolve (see `Technique.deprecated`). `'error'`:
   * throw an `AttackLookupError` with code `deprecated`.
   */
  readonly deprecated?: DeprecatedPolicy;
}

/** A ranked search hit, or a suggestion carried by an `AttackLookupError`. */
export interface AttackCandidate {
  /** ATT&CK ID of the candidate. */
  readonly id: string;
  /** The candidate's own name. */
  readonly name: string;
  /** The name to send to D3 (`Parent: Sub` for sub-techniques; the name for tactics). */
  readonly d3Name: string;
}

/** A ranked result of {@link AttackCatalog.search}. */
export interface SearchResult extends AttackCandidate {
  /** Relevance relative to the best result of the same query: the best scores 1, others less. */
  readonly score: number;
}

/** Options of {@link AttackCatalog.search}. */
export interface SearchOptions {
  /** Maximum number of results (default 10). */
  readonly limit?: number;
}

/** Options of {@link AttackCatalog.techniquesOf} and {@link AttackCatalog.subtechniquesOf}. */
export interface TechniqueListOptions {
  /** Include deprecated techniques (default false). */
  readonly includeDeprecated?: boolean;
}

/** Options of {@link AttackCatalog.techniquesOf}. */
export interface TacticTechniquesOptions extends TechniqueListOptions {
  /** Include sub-techniques after their parents (default true). */
  readonly includeSubtechniques?: boolean;
}

/** The tactics and techniques of one ATT&CK domain and version, indexed for lookups. */
export interface AttackCatalog {
  /** The domain the catalog covers. */
  readonly domain: AttackDomain;
  /** The ATT&CK version of the data, e.g. `18.1` (`unknown` when the bundle does not say). */
  readonly version: string;
  /** Every tactic, in the matrix's order (deprecated tactics of old matrices last). */
  readonly tactics: readonly Tactic[];
  /** Every technique and sub-technique that is not revoked (deprecated ones included), by ID. */
  readonly techniques: readonly Technique[];
  /**
   * Resolves a tactic by ID, name or shortname (case- and whitespace-insensitive).
   * @throws {AttackLookupError} `not_found`, with suggestions.
   */
  tactic(input: string): Tactic;
  /**
   * Resolves a technique by ID (any case), its own name, or its `d3Name` (`Parent: Sub`),
   * case- and whitespace-insensitive. A bare sub-technique name resolves only when it is unique.
   * @throws {AttackLookupError} `not_found` (with ranked suggestions), `ambiguous` (with every
   * match), `revoked` or `deprecated` (as the options say).
   */
  technique(input: string, options?: TechniqueLookupOptions): Technique;
  /**
   * Ranked fuzzy search over technique IDs, names and d3Names, tolerant of typos and partial
   * words; an exact ID, name or d3Name ranks first. Only the first 160 characters are searched.
   */
  search(text: string, options?: SearchOptions): SearchResult[];
  /** The techniques of a tactic (given as anything {@link AttackCatalog.tactic} accepts), by ID. */
  techniquesOf(tactic: string | Tactic, options?: TacticTechniquesOptions): Technique[];
  /** The sub-techniques of a technique (given as anything {@link AttackCatalog.technique} accepts). */
  subtechniquesOf(technique: string | Technique, options?: TechniqueListOptions): Technique[];
}
