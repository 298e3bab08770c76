import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SetEventTechniquesPreview } from '@d3soar/client';
import type { NavigatorPair } from '@d3soar/domain/attack';
import { CliUsageError } from './errors.js';

/** Where a layer was written, and what it holds. */
export interface WrittenLayer {
  /** The file, as an absolute path. */
  file: string;
  /** How many technique/tactic cells it has. */
  techniques: number;
}

/**
 * Fails before anything is sent when `file` cannot be written (a missing or read-only folder), so
 * a real run never ends with its result and no layer.
 */
export async function checkLayerTarget(file: string): Promise<void> {
  try {
    await access(dirname(resolve(file)), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(
      `--navigator-layer: cannot write '${file}' (its folder ${code === 'ENOENT' ? 'does not exist' : 'is not writable'})`,
    );
  }
}

/**
 * The pairs of a SetEventTechniques call, each with the number of events D3 confirmed storing it
 * (matched by the names D3 answers with), or, for a dry run, the number of events it would go to.
 */
export function layerPairs(
  prepared: SetEventTechniquesPreview,
  answered?: readonly { pairs: readonly { tactic: string; technique: string }[] }[],
): NavigatorPair[] {
  const key = (tactic: string, technique: string) => `${tactic}\u0000${technique}`;
  const counts = new Map<string, number>();
  for (const event of answered ?? []) {
    for (const pair of event.pairs) {
      const k = key(pair.tactic, pair.technique);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const wouldTag = prepared.params['Event IDs'].length;
  return prepared.pairs.flatMap((pair) => {
    const events = answered
      ? (counts.get(key(pair.tactic.name, pair.technique.d3Name)) ?? 0)
      : wouldTag;
    return events > 0 ? [{ ...pair, events }] : [];
  });
}

/** Writes the layer of `pairs` to `file`, for MITRE's ATT&CK Navigator. */
export async function writeLayer(
  file: string,
  pairs: readonly NavigatorPair[],
  description: string,
): Promise<WrittenLayer> {
  const { toNavigatorLayer } = await import('@d3soar/domain/attack');
  const layer = toNavigatorLayer(pairs, { description });
  const path = resolve(file);
  await writeFile(path, `${JSON.stringify(layer, null, 2)}\n`);
  return { file: path, techniques: layer.techniques.length };
}
