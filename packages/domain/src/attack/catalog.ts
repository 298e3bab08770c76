// The ATT&CK catalog: one class, in one module on purpose (it is long), because lookups, the
// revoked-chain following, listing and search all share the same private indexes, built lazily;
// split, those indexes would have to become a public surface between the parts.
import {
  attackUrl,
  lookupKey,
  recordMask,
  revocationChain,
  subtechniqueParent,
  TechniqueFlag,
  type CatalogData,
  type TechniqueRecord,
} from './catalog-data.js';
import { AttackLookupError, describeCandidate } from './errors.js';
import { FuzzySearch, type SearchEntry } from './search.js';
import type {
  AttackCandidate,
  AttackCatalog,
  AttackDomain,
  SearchOptions,
  SearchResult,
  Tactic,
  TacticTechniquesOptions,
  Technique,
  TechniqueListOptions,
  TechniqueLookupOptions,
} from './types.js';

const suggestionCount = 5;
const defaultSearchLimit = 10;

/**
 * Builds the catalog from its compact data. The lookup indexes are built here, once; the
 * `Technique` objects they lead to are built on first use and then shared, which keeps the time
 * from import to first lookup low.
 */
export function catalogFromData(data: CatalogData): AttackCatalog {
  return new IndexedAttackCatalog(data);
}

class IndexedAttackCatalog implements AttackCatalog {
  readonly domain: AttackDomain;
  readonly version: string;
  readonly tactics: readonly Tactic[];

  readonly #records: readonly TechniqueRecord[];
  /** Keyed by canonical spellings and by lookup keys, so canonical input skips normalising. */
  readonly #tacticIndex = new Map<string, Tactic>();
  /** Lookup keys (and canonical spellings seen so far) → entries of `TechniqueIndexData`. */
  readonly #index = new Map<string, number>();
  /** The data, until its name index has been loaded into `#index`. */
  #unindexedNames: CatalogData | undefined;
  #ambiguities: readonly (readonly number[])[] = [];
  /** Live techniques by record index, built on first use. */
  readonly #built: (Technique | undefined)[];
  /** Revoked records by index: the replacement technique carrying `replaces`, built on first use. */
  readonly #followed = new Map<number, Technique | null>();
  #techniques: readonly Technique[] | undefined;
  #byTactic: ReadonlyMap<string, readonly Technique[]> | undefined;
  #byParent: ReadonlyMap<string, readonly Technique[]> | undefined;
  #techniqueSearch: FuzzySearch | undefined;
  #tacticSearch: FuzzySearch | undefined;

  constructor(data: CatalogData) {
    this.domain = data.domain;
    this.version = data.version;
    this.tactics = Object.freeze(
      data.tactics.map(([id, name, shortname, url]) =>
        Object.freeze({ id, name, shortname, url: url ?? attackUrl(id) }),
      ),
    );
    // Reversed so that, should two tactics share a key, the one earlier in the matrix wins.
    for (let position = this.tactics.length - 1; position >= 0; position--) {
      const tactic = this.tactics[position] as Tactic;
      for (const spelling of [tactic.id, tactic.name, tactic.shortname]) {
        this.#tacticIndex.set(spelling, tactic);
        this.#tacticIndex.set(lookupKey(spelling), tactic);
      }
    }
    this.#records = data.techniques;
    this.#built = new Array<Technique | undefined>(data.techniques.length).fill(undefined);
    // IDs are the strongest claim on a key and never ambiguous, so they can be served before the
    // names are indexed: a program that looks up IDs never pays for the name index.
    for (let index = 0; index < data.techniques.length; index++) {
      const id = (data.techniques[index] as TechniqueRecord)[0];
      this.#index.set(id, index);
      this.#index.set(id.toLowerCase(), index);
    }
    this.#unindexedNames = data;
  }

  /** Loads the index of every spelling, once, on the first lookup that needs more than an ID. */
  #indexNames(): boolean {
    const data = this.#unindexedNames;
    if (data === undefined) return false;
    this.#unindexedNames = undefined;
    const { keys, entries, groups } = data.index;
    for (let position = 0; position < keys.length; position++) {
      this.#index.set(keys[position] as string, entries[position] as number);
    }
    this.#ambiguities = groups;
    return true;
  }

  /** The index entry of a lookup key, indexing the names first when the key is not an ID. */
  #entry(key: string): number | undefined {
    const entry = this.#index.get(key);
    return entry === undefined && this.#indexNames() ? this.#index.get(key) : entry;
  }

  /** Every live technique and sub-technique (deprecated ones included), by ID. */
  get techniques(): readonly Technique[] {
    this.#techniques ??= Object.freeze(
      this.#records.flatMap((record, index) => (isRevoked(record) ? [] : [this.#live(index)])),
    );
    return this.#techniques;
  }

  tactic(input: string): Tactic {
    const tactic = this.#tacticIndex.get(input) ?? this.#tacticIndex.get(lookupKey(text(input)));
    if (tactic !== undefined) return tactic;
    const { suggestions, hint } = this.#suggestTactics(input);
    throw new AttackLookupError(
      'not_found',
      'tactic',
      input,
      suggestions,
      `No tactic of ${this.#label()} matches ${JSON.stringify(input)} ` +
        `(tactics are accepted by ID, name or shortname).${hint}${didYouMean(suggestions)}`,
    );
  }

  technique(input: string, options?: TechniqueLookupOptions): Technique {
    let entry = this.#index.get(input);
    if (entry === undefined) {
      entry = this.#entry(lookupKey(text(input)));
      if (entry === undefined) throw this.#notFound(input);
      this.#rememberCanonical(input, entry);
    }
    if (entry < 0) throw this.#ambiguous(input, entry);
    const index = entry & recordMask;
    const built = this.#built[index];
    // The common case: a live technique seen before, default options.
    if (built !== undefined && options === undefined) return built;
    const revoked = options?.revoked ?? 'follow';
    const deprecated = options?.deprecated ?? 'allow';
    if (options !== undefined) checkLookupOptions(revoked, deprecated);
    const record = this.#records[index] as TechniqueRecord;
    const technique = isRevoked(record)
      ? this.#followRevoked(input, index, revoked)
      : this.#live(index);
    if (technique.deprecated && deprecated === 'error') {
      throw new AttackLookupError(
        'deprecated',
        'technique',
        input,
        [],
        `${JSON.stringify(input)} names ${describeCandidate(technique)}, deprecated in ` +
          `${this.#label()}; choose a current technique, or pass { deprecated: 'allow' }.`,
      );
    }
    return technique;
  }

  search(query: string, options?: SearchOptions): SearchResult[] {
    const limit = options?.limit ?? defaultSearchLimit;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RangeError(`options.limit must be a non-negative integer; got ${String(limit)}`);
    }
    return this.#searchTechniques().search(text(query), limit);
  }

  techniquesOf(tactic: string | Tactic, options?: TacticTechniquesOptions): Technique[] {
    const { id } = this.tactic(typeof tactic === 'string' ? tactic : tactic.id);
    const includeSubtechniques = options?.includeSubtechniques ?? true;
    const includeDeprecated = options?.includeDeprecated ?? false;
    this.#byTactic ??= groupBy(this.techniques, (technique) =>
      technique.tactics.map((own) => own.id),
    );
    return (this.#byTactic.get(id) ?? []).filter(
      (technique) =>
        (includeSubtechniques || !technique.isSubtechnique) &&
        (includeDeprecated || !technique.deprecated),
    );
  }

  subtechniquesOf(technique: string | Technique, options?: TechniqueListOptions): Technique[] {
    const { id } = this.technique(typeof technique === 'string' ? technique : technique.id);
    const includeDeprecated = options?.includeDeprecated ?? false;
    this.#byParent ??= groupBy(this.techniques, (subtechnique) =>
      subtechnique.parent === undefined ? [] : [subtechnique.parent.id],
    );
    return (this.#byParent.get(id) ?? []).filter(
      (subtechnique) => includeDeprecated || !subtechnique.deprecated,
    );
  }

  /**
   * Adds a technique's exact ID, name or d3Name to the index once it has been looked up, so the
   * next lookup of that spelling is a single Map hit without normalising. Only canonical
   * spellings are added (at most three per technique), so arbitrary input cannot grow the index.
   */
  #rememberCanonical(input: string, entry: number): void {
    if (entry < 0) return;
    const index = entry & recordMask;
    const record = this.#records[index] as TechniqueRecord;
    const canonical =
      input === record[0] ||
      (!isRevoked(record) && (input === record[1] || input === this.#live(index).d3Name));
    if (canonical) this.#index.set(input, entry);
  }

  #label(): string {
    return `ATT&CK ${this.domain} v${this.version}`;
  }

  #live(index: number): Technique {
    const built = this.#built[index];
    if (built !== undefined) return built;
    const records = this.#records;
    const [id, name, tacticIndexes, , flags, , url] = records[index] as TechniqueRecord;
    const parentIndex = subtechniqueParent(records[index] as TechniqueRecord, records);
    const parentRecord = parentIndex === undefined ? undefined : records[parentIndex];
    const parent =
      parentRecord === undefined
        ? undefined
        : Object.freeze({ id: parentRecord[0], name: parentRecord[1] });
    const technique: Technique = Object.freeze({
      id,
      name,
      d3Name: parent === undefined ? name : `${parent.name}: ${name}`,
      isSubtechnique: (flags & TechniqueFlag.subtechnique) !== 0,
      ...(parent === undefined ? {} : { parent }),
      tactics: Object.freeze(tacticIndexes.flatMap((position) => this.tactics[position] ?? [])),
      url: url ?? attackUrl(id),
      deprecated: (flags & TechniqueFlag.deprecated) !== 0,
    });
    this.#built[index] = technique;
    return technique;
  }

  /** The live replacement of a revoked record, carrying the followed chain in `replaces`. */
  #followRevoked(input: string, index: number, policy: 'follow' | 'error'): Technique {
    let replacement = this.#followed.get(index);
    if (replacement === undefined) {
      const followed = revocationChain(index, this.#records);
      replacement =
        followed === undefined
          ? null
          : Object.freeze({
              ...this.#live(followed.target),
              replaces: Object.freeze(followed.chain.map((link) => this.#ref(link))),
            });
      this.#followed.set(index, replacement);
    }
    const revoked = this.#ref(index);
    const named = `${JSON.stringify(input)} names ${revoked.id} "${revoked.name}", revoked in ${this.#label()}`;
    if (replacement === null) {
      throw new AttackLookupError(
        'revoked',
        'technique',
        input,
        [],
        `${named} without a replacement.`,
      );
    }
    if (policy === 'error') {
      const candidate = toCandidate(replacement);
      throw new AttackLookupError(
        'revoked',
        'technique',
        input,
        [candidate],
        `${named} and replaced by ${describeCandidate(candidate)}; ` +
          "use the replacement, or pass { revoked: 'follow' }.",
      );
    }
    return replacement;
  }

  #ref(index: number): { id: string; name: string } {
    const [id, name] = this.#records[index] as TechniqueRecord;
    return Object.freeze({ id, name });
  }

  #ambiguous(input: string, entry: number): AttackLookupError {
    const candidates = (this.#ambiguities[~entry] ?? []).map((index) =>
      toCandidate(this.#live(index)),
    );
    return new AttackLookupError(
      'ambiguous',
      'technique',
      input,
      candidates,
      `${JSON.stringify(input)} is the name of ${candidates.length} techniques in ` +
        `${this.#label()}: ${candidates.map(describeCandidate).join(', ')}. ` +
        'Use the ID or the "Parent: Sub-technique" name.',
    );
  }

  #notFound(input: string): AttackLookupError {
    const key = lookupKey(input);
    const id = techniqueIdKey.exec(key);
    const suggestions =
      id === null
        ? this.#searchTechniques().search(input, suggestionCount).map(toCandidate)
        : this.#nearTechniqueIds(id[1] as string, id[2]);
    const tacticHint =
      tacticIdKey.test(key) && this.#tacticIndex.has(key)
        ? ` ${input.trim()} is a tactic ID; look tactics up with catalog.tactic().`
        : '';
    return new AttackLookupError(
      'not_found',
      'technique',
      input,
      suggestions,
      `No technique of ${this.#label()} matches ${JSON.stringify(input)} ` +
        `(techniques are accepted by ID, name or "Parent: Sub" name).${tacticHint}` +
        didYouMean(suggestions),
    );
  }

  /**
   * Suggestions for a technique ID the catalog lacks. For a sub-technique ID whose parent exists:
   * the parent, then its sub-techniques, nearest number first (`T1078.005` → T1078, T1078.004,
   * T1078.003…). Otherwise the current techniques with the nearest numbers.
   */
  #nearTechniqueIds(number: string, sub: string | undefined): AttackCandidate[] {
    const parent = sub === undefined ? undefined : this.#liveById(`t${number}`);
    if (parent !== undefined) {
      const siblings = nearest(this.subtechniquesOf(parent), Number(sub), (technique) =>
        Number(technique.id.slice(technique.id.indexOf('.') + 1)),
      );
      return [parent, ...siblings].slice(0, suggestionCount).map(toCandidate);
    }
    const techniques = this.techniques.filter(
      (technique) => !technique.isSubtechnique && !technique.deprecated,
    );
    return nearest(techniques, Number(number), (technique) => Number(technique.id.slice(1)))
      .slice(0, suggestionCount)
      .map(toCandidate);
  }

  /** The live technique an ID key names, following revocations; undefined when there is none. */
  #liveById(key: string): Technique | undefined {
    const entry = this.#index.get(key);
    if (entry === undefined || entry < 0) return undefined;
    const index = entry & recordMask;
    if (!isRevoked(this.#records[index] as TechniqueRecord)) return this.#live(index);
    const followed = revocationChain(index, this.#records);
    return followed === undefined ? undefined : this.#live(followed.target);
  }

  #searchTechniques(): FuzzySearch {
    // Built on first use: exact lookups, the common path, never need it, and building it with
    // the catalog would more than double the time from import to first lookup.
    this.#techniqueSearch ??= new FuzzySearch(
      this.techniques.map((technique): SearchEntry => ({
        candidate: toCandidate(technique),
        ...(technique.parent === undefined ? {} : { parentName: technique.parent.name }),
        boost: technique.deprecated ? 0.5 : 1,
      })),
    );
    return this.#techniqueSearch;
  }

  /** Suggestions, and a hint for the message, for a tactic lookup that failed. */
  #suggestTactics(input: string): { suggestions: AttackCandidate[]; hint: string } {
    const key = lookupKey(input);
    const tacticId = tacticIdKey.exec(key);
    if (tacticId !== null) {
      const tactics = nearest(this.tactics, Number(tacticId[1]), (tactic) =>
        Number(tactic.id.slice(2)),
      );
      return { suggestions: tactics.slice(0, suggestionCount).map(tacticCandidate), hint: '' };
    }
    const technique = techniqueIdKey.test(key) ? this.#liveById(key) : undefined;
    if (technique !== undefined) {
      return {
        suggestions: technique.tactics.map(tacticCandidate),
        hint:
          ` ${input.trim()} is a technique ID (${describeCandidate(technique)}); ` +
          'the suggestions are its tactics.',
      };
    }
    this.#tacticSearch ??= new FuzzySearch(
      this.tactics.map((tactic): SearchEntry => ({
        candidate: tacticCandidate(tactic),
        aliases: [tactic.shortname],
      })),
    );
    return {
      suggestions: this.#tacticSearch.search(input, suggestionCount).map(toCandidate),
      hint: '',
    };
  }
}

function isRevoked(record: TechniqueRecord): boolean {
  return (record[4] & TechniqueFlag.revoked) !== 0;
}

function groupBy(
  techniques: readonly Technique[],
  keysOf: (technique: Technique) => readonly string[],
): ReadonlyMap<string, readonly Technique[]> {
  const groups = new Map<string, Technique[]>();
  for (const technique of techniques) {
    for (const key of keysOf(technique)) {
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [technique]);
      else group.push(technique);
    }
  }
  return groups;
}

function toCandidate({ id, name, d3Name }: AttackCandidate): AttackCandidate {
  return Object.freeze({ id, name, d3Name });
}

function tacticCandidate({ id, name }: Tactic): AttackCandidate {
  return Object.freeze({ id, name, d3Name: name });
}

/** Lookup keys shaped like technique IDs (`t1078`, `t1078.004`; `t1078.4` too) and tactic IDs. */
const techniqueIdKey = /^t(\d{4})(?:\.(\d{1,3}))?$/;
const tacticIdKey = /^ta(\d{4})$/;

/** `items` ordered by how close their number is to `target`, the lower number first on ties. */
function nearest<T>(items: readonly T[], target: number, numberOf: (item: T) => number): T[] {
  return items
    .map((item) => ({ item, number: numberOf(item) }))
    .sort(
      (left, right) =>
        Math.abs(left.number - target) - Math.abs(right.number - target) ||
        left.number - right.number,
    )
    .map(({ item }) => item);
}

function didYouMean(suggestions: readonly AttackCandidate[]): string {
  return suggestions.length === 0
    ? ''
    : ` Did you mean ${suggestions.map(describeCandidate).join(', ')}?`;
}

/** Lookups take strings; anything else is a programming error, not a failed lookup. */
function text(input: unknown): string {
  if (typeof input === 'string') return input;
  throw new TypeError(
    `Expected an ATT&CK ID or name as a string; got ${input === null ? 'null' : typeof input}`,
  );
}

function checkLookupOptions(revoked: unknown, deprecated: unknown): void {
  if (revoked !== 'follow' && revoked !== 'error') {
    throw new TypeError(
      `options.revoked must be 'follow' or 'error'; got ${JSON.stringify(revoked)}`,
    );
  }
  if (deprecated !== 'allow' && deprecated !== 'error') {
    throw new TypeError(
      `options.deprecated must be 'allow' or 'error'; got ${JSON.stringify(deprecated)}`,
    );
  }
}
