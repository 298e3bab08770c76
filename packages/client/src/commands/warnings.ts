/**
 * Warnings of a prepared call: what D3 may or may not take, reported beside the preview and never
 * refused (unless the client is told to: `warnings: 'throw'`). The domain package finds them in
 * artifacts and Search Conditions; this module places them at the call's input paths and adds the
 * ATT&CK ones.
 */
import type { Technique } from '@d3soar/domain/attack';
import type { D3Warning } from '@d3soar/domain/query';

export type { D3Warning };

/**
 * `warnings` found inside one part of the input, placed under `prefix` (dotted, as validation
 * issues name paths): a domain warning at `/CreatedUtcTime/$gte` of `where` is at
 * `where.CreatedUtcTime.$gte`.
 */
export function under(prefix: string, warnings: readonly D3Warning[]): D3Warning[] {
  return warnings.map(({ code, path, message }) => ({
    code,
    // A JSON pointer (`/CreatedUtcTime/$gte`) or a field name (`External_IPAddress`).
    path: path ? `${prefix}.${path.replace(/^\//, '').replace(/\//g, '.')}` : prefix,
    message,
  }));
}

/**
 * The ATT&CK warnings of a SetEventTechniques call, by technique input path:
 * - `revoked-technique`: the input names a revoked technique; its replacement is sent;
 * - `deprecated-technique`: MITRE no longer maintains it; D3 may not list it;
 * - `unpaired-technique`: it belongs to none of the requested tactics, so D3 stores nothing for it.
 */
export function techniqueWarnings(
  techniques: readonly { input: string; technique: Technique }[],
  unpaired: readonly Technique[],
): D3Warning[] {
  const warnings: D3Warning[] = [];
  techniques.forEach(({ input, technique }, index) => {
    const path = `techniques.${index}`;
    const [revoked] = technique.replaces ?? [];
    if (revoked) {
      warnings.push({
        code: 'revoked-technique',
        path,
        message: `${revoked.id} is revoked in ATT&CK; ${technique.id} ${technique.d3Name}, which replaces it, is sent`,
      });
    }
    if (technique.deprecated) {
      warnings.push({
        code: 'deprecated-technique',
        path,
        message: `${technique.id} ${technique.d3Name} is deprecated in ATT&CK: D3's list may not have it`,
      });
    }
    if (unpaired.includes(technique)) {
      warnings.push({
        code: 'unpaired-technique',
        path,
        message: `${technique.id} ${technique.d3Name} (given as ${input}) is unpaired: it belongs to none of the requested tactics, so D3 stores nothing for it`,
      });
    }
  });
  return warnings;
}
