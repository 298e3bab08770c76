import { createRequire } from 'node:module';

import type MiniSearch from 'minisearch';

import { lookupKey } from './catalog-data.js';
import type { AttackCandidate, SearchResult } from './types.js';

/** One searchable tactic or technique. */
export interface SearchEntry {
  readonly candidate: AttackCandidate;
  /** Name of the parent technique, searched with less weight than the entry's own name. */
  readonly parentName?: string;
  /** Other exact forms (shortnames); the ID, name and d3Name are always included. */
  readonly aliases?: readonly string[];
  /** Score multiplier; deprecated techniques rank below live ones. */
  readonly boost?: number;
}

interface Document {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly parent: string;
}

/**
 * MiniSearch is loaded on the first search rather than with the catalog: importing it takes
 * several milliseconds on a small machine, a large share of the 25 ms budget from import to first
 * lookup, and exact lookups never need it. `require` is the one synchronous way to load a module
 * from ESM (search and lookup suggestions are synchronous); MiniSearch's CommonJS build exports
 * the class itself.
 */
let miniSearchClass: typeof MiniSearch | undefined;
function loadMiniSearch(): typeof MiniSearch {
  miniSearchClass ??= createRequire(import.meta.url)('minisearch') as typeof MiniSearch;
  return miniSearchClass;
}

/** Longer queries are cut to this many characters. */
export const maxQueryLength = 160;

/** ATT&CK IDs stay whole (`t1078.004`); everything else splits into words. */
const tokenPattern = /t[a]?\d{4}(?:\.\d{3})?|[\p{L}\p{N}]+/giu;

const idLike = /^ta?\d/i;

function tokenize(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

/**
 * Ranked fuzzy search over tactics or techniques, built on MiniSearch (a maintained full-text
 * engine with a radix-tree index, prefix search and edit-distance fuzzy matching). Each entry is
 * its own document, so similar names ("Cloud Account" and "Cloud Accounts") are never merged;
 * BM25 plus MiniSearch's bonus for matching more query words ranks exact words above fuzzy ones.
 * An input equal to an entry's ID, name or d3Name (as a lookup key) always ranks first.
 */
export class FuzzySearch {
  readonly #entries: readonly SearchEntry[];
  readonly #index: MiniSearch<Document>;
  readonly #exact = new Map<string, number[]>();

  constructor(entries: readonly SearchEntry[]) {
    this.#entries = entries;
    const documents = entries.map((entry, id): Document => ({
      id,
      code: entry.candidate.id,
      name: entry.candidate.name,
      parent: entry.parentName ?? '',
    }));
    const vocabulary = new Set(
      documents.flatMap((document) =>
        tokenize(`${document.name} ${document.parent}`).map((word) => word.toLowerCase()),
      ),
    );
    const MiniSearchClass = loadMiniSearch();
    this.#index = new MiniSearchClass<Document>({
      fields: ['code', 'name', 'parent'],
      tokenize,
      searchOptions: {
        boost: { code: 3, name: 2, parent: 1 },
        // A one- or two-letter prefix matches most of the vocabulary and ranks nothing.
        prefix: (term) => term.length >= 3,
        // Only words the catalog does not contain can be typos, so only they are expanded (the
        // expensive part of a query): one edit per four letters, at most two. Short words and
        // IDs never are, since one edit turns them into unrelated ones ("dns"/"dll",
        // T1078/T1008).
        fuzzy: (term) =>
          term.length >= 4 && !vocabulary.has(term) && !idLike.test(term) ? 0.25 : false,
        maxFuzzy: 2,
        boostDocument: (id: number) => this.#entries[id]?.boost ?? 1,
      },
    });
    this.#index.addAll(documents);
    entries.forEach((entry, id) => {
      const { candidate } = entry;
      const keys = new Set(
        [candidate.id, candidate.name, candidate.d3Name, ...(entry.aliases ?? [])].map(lookupKey),
      );
      for (const key of keys) {
        const ids = this.#exact.get(key);
        if (ids === undefined) this.#exact.set(key, [id]);
        else ids.push(id);
      }
    });
  }

  /**
   * At most `limit` candidates, best first; empty for text without letters or digits. Only the
   * first {@link maxQueryLength} characters count: the longest ATT&CK name is far shorter, and
   * fuzzy matching grows with every extra word, so long input must not stall a lookup.
   */
  search(text: string, limit: number): SearchResult[] {
    if (limit <= 0) return [];
    const query = text.length > maxQueryLength ? text.slice(0, maxQueryLength) : text;
    const hits = new Map<number, number>();
    for (const hit of this.#index.search(query)) hits.set(hit.id as number, hit.score);
    const exact = this.#exact.get(lookupKey(query)) ?? [];
    if (exact.length > 0) {
      const top = Math.max(0, ...hits.values());
      for (const id of exact) hits.set(id, 2 * top + (hits.get(id) ?? 0) + 1);
    }
    const ranked = [...hits].sort((left, right) => right[1] - left[1] || left[0] - right[0]);
    const best = ranked[0]?.[1] ?? 1;
    const results: SearchResult[] = [];
    for (const [id, score] of ranked.slice(0, limit)) {
      const entry = this.#entries[id];
      if (entry === undefined) continue;
      const { id: attackId, name, d3Name } = entry.candidate;
      results.push({ id: attackId, name, d3Name, score: score / best });
    }
    return results;
  }
}
