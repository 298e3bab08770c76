import MiniSearch from 'minisearch';

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

/** Longer queries are cut to this many characters. */
export const maxQueryLength = 160;

/**
 * Distinct words of a query that are searched; later ones are ignored. The longest d3Name has
 * 11 distinct words, so a pasted name always counts whole.
 */
export const maxQueryTerms = 12;

/**
 * Words of a query that may be expanded by edit distance, the first ones that need it. Each
 * expansion walks the whole vocabulary tree and can match hundreds of documents; without a cap,
 * a long query of misspelt words cost milliseconds.
 */
export const maxFuzzyTerms = 3;

/** ATT&CK IDs stay whole (`t1078.004`); everything else splits into words. */
const tokenPattern = /t[a]?\d{4}(?:\.\d{3})?|[\p{L}\p{N}]+/giu;

const idLike = /^ta?\d/i;

function tokenize(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

/**
 * Edits allowed for a misspelt word of four letters or more: about one per four letters, at most
 * two (a dropped, added or changed letter costs one edit; swapped letters cost two).
 */
function editsFor(term: string): number {
  return term.length >= 6 ? 2 : 1;
}

/**
 * Ranked fuzzy search over tactics or techniques, built on MiniSearch (a maintained full-text
 * engine with a radix-tree index, prefix search and edit-distance fuzzy matching). Each entry is
 * its own document, so similar names ("Cloud Account" and "Cloud Accounts") are never merged;
 * BM25 plus MiniSearch's bonus for matching more query words ranks exact words above fuzzy ones.
 * An input equal to an entry's ID, name or d3Name (as a lookup key) always ranks first.
 *
 * The work per query is bounded, so that no input stalls a lookup: at most
 * {@link maxQueryLength} characters and {@link maxQueryTerms} distinct words are searched, and
 * only words that can be typos are expanded by edit distance (the expensive part), at most
 * {@link maxFuzzyTerms} of them. A word the catalog contains, or that starts a word it contains
 * (a partial word, found by prefix), is taken as written.
 */
export class FuzzySearch {
  readonly #entries: readonly SearchEntry[];
  readonly #index: MiniSearch<Document>;
  readonly #exact = new Map<string, number[]>();
  /** Every word of the names, sorted, to tell known words and their prefixes from typos. */
  readonly #vocabulary: readonly string[];

  constructor(entries: readonly SearchEntry[]) {
    this.#entries = entries;
    const documents = entries.map((entry, id): Document => ({
      id,
      code: entry.candidate.id,
      name: entry.candidate.name,
      parent: entry.parentName ?? '',
    }));
    this.#vocabulary = [
      ...new Set(
        documents.flatMap((document) =>
          tokenize(`${document.name} ${document.parent}`).map((word) => word.toLowerCase()),
        ),
      ),
    ].sort();
    this.#index = new MiniSearch<Document>({
      fields: ['code', 'name', 'parent'],
      tokenize,
      searchOptions: {
        boost: { code: 3, name: 2, parent: 1 },
        // A one- or two-letter prefix matches most of the vocabulary and ranks nothing.
        prefix: (term) => term.length >= 3,
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
   * first {@link maxQueryLength} characters and {@link maxQueryTerms} distinct words count.
   */
  search(text: string, limit: number): SearchResult[] {
    if (limit <= 0) return [];
    const query = text.length > maxQueryLength ? text.slice(0, maxQueryLength) : text;
    const terms = [...new Set(tokenize(query).map((term) => term.toLowerCase()))].slice(
      0,
      maxQueryTerms,
    );
    if (terms.length === 0) return [];
    const edits = new Map<string, number>();
    for (const term of terms) {
      if (edits.size === maxFuzzyTerms) break;
      if (this.#mayBeTypo(term)) edits.set(term, editsFor(term));
    }
    // MiniSearch returns every matching document sorted by score, best first. Only the head of
    // that list is copied and re-sorted (exact matches first, ties by catalog order), so a query
    // that matches hundreds of documents allocates little beyond MiniSearch's own results.
    const found = this.#index.search(terms.join(' '), {
      fuzzy: (term) => edits.get(term) ?? false,
    });
    const exact = this.#exact.get(lookupKey(query)) ?? [];
    const top = found[0]?.score ?? 0;
    const head: { id: number; score: number }[] = exact.map((id) => ({
      id,
      score: 2 * top + (found.find((hit) => hit.id === id)?.score ?? 0) + 1,
    }));
    for (const hit of found) {
      // Past the limit, only ties with the last result taken can still displace it.
      if (head.length >= limit && hit.score < (head.at(-1)?.score ?? 0)) break;
      if (!exact.includes(hit.id as number)) head.push({ id: hit.id as number, score: hit.score });
    }
    head.sort((left, right) => right.score - left.score || left.id - right.id);
    const best = head[0]?.score ?? 1;
    const results: SearchResult[] = [];
    for (const { id, score } of head.slice(0, limit)) {
      const entry = this.#entries[id];
      if (entry === undefined) continue;
      const { id: attackId, name, d3Name } = entry.candidate;
      results.push({ id: attackId, name, d3Name, score: score / best });
    }
    return results;
  }

  /**
   * Whether edit distance should expand a word: not a known word or the start of one (prefix
   * search finds those), at least four letters and not an ID (one edit turns short words and IDs
   * into unrelated ones: "dns"/"dll", T1078/T1008).
   */
  #mayBeTypo(term: string): boolean {
    if (term.length < 4 || idLike.test(term)) return false;
    // Binary search of the sorted vocabulary: the first word not below `term` starts with it if
    // any word does.
    const vocabulary = this.#vocabulary;
    let low = 0;
    let high = vocabulary.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((vocabulary[middle] as string) < term) low = middle + 1;
      else high = middle;
    }
    return !(vocabulary[low]?.startsWith(term) ?? false);
  }
}
