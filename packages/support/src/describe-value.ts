// How error messages show a value: short, and never throwing whatever the value is.

const MAX_LENGTH = 80;

/**
 * A short rendering of any value for an error message: its JSON text where there is one
 * (`"abc"`, `5`, `null`, `["a"]`, `{"k":1}`), otherwise `undefined`, `10n`, `Symbol(s)` or the
 * object's tag; cut to 80 characters. Never throws, whatever the value (BigInts, cycles,
 * symbols, functions, objects whose `toJSON` throws).
 */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? `${value}n` : (jsonText(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 3)}...` : text;
}

/** JSON.stringify, typed as it behaves: undefined for undefined, functions and symbols. */
function jsonText(value: unknown): string | undefined {
  return JSON.stringify(value);
}
