/** Whether a string holds only whitespace, without allocating a trimmed copy. */
function isBlankText(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 32 && code !== 160 && code !== 0xfeff && !(code >= 0x2000 && code <= 0x200a))
      return false;
  }
  return true;
}

/**
 * Whether an artifact field value is empty — `null`, `undefined`, a string of nothing but
 * whitespace, or an array of such values — so that it identifies nothing: D3 creates no artifact
 * from empty values, and detection lets them decide no type. Objects (`Additional`), numbers and
 * booleans are never blank.
 */
export function isBlankArtifactValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return isBlankText(value);
  return Array.isArray(value) && value.every(isBlankArtifactValue);
}
