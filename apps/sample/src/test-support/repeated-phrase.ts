/**
 * Finds a phrase said twice in one message: a run of `words` words, or a parenthesised status
 * such as `(400)`. What an error formatter that prefixes instead of composing produces
 * (`D3 rejected the request (400): SaveArtifactForIncident: D3 rejected the request (400)`).
 */
export function repeatedPhrase(message: string, words = 3): string | undefined {
  const statuses: string[] = message.match(/\(\d{3}\)/g) ?? [];
  const status = statuses.find((candidate, index) => statuses.indexOf(candidate) !== index);
  if (status) return status;
  const tokens = message.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const seen = new Set<string>();
  for (let i = 0; i + words <= tokens.length; i++) {
    const phrase = tokens.slice(i, i + words).join(' ');
    if (seen.has(phrase)) return phrase;
    seen.add(phrase);
  }
  return undefined;
}
