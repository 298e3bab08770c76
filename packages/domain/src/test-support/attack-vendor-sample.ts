// Reads the vendor's SetEventTechniques page (its samples follow `JSON` lines) so the ATT&CK
// pairing tests compare against the vendor's own sample rather than a copy of it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pagePath = fileURLToPath(
  new URL('../../../../../shared/reference/set-event-techniques.txt', import.meta.url),
);

export interface SetEventTechniquesSample {
  readonly tactics: string[];
  readonly techniques: string[];
  /** Each event's stored pairs, as `TacticName` and `TechniqueName`. */
  readonly responsePairs: { tactic: string; technique: string }[][];
}

/** The request and 200-response samples of the page (`6025x` placeholders made numbers). */
export function setEventTechniquesSample(): SetEventTechniquesSample {
  const page = readFileSync(pagePath, 'utf8');
  const [request, response] = jsonBlocks(page).map((block): unknown =>
    JSON.parse(block.replace(/6025x/g, '60250')),
  ) as [RequestSample, ResponseSample];
  return {
    tactics: request.CommandParams.Tactics,
    techniques: request.CommandParams.Techniques,
    responsePairs: response.contextData.map((event) =>
      event.techniques.map((pair) => ({ tactic: pair.TacticName, technique: pair.TechniqueName })),
    ),
  };
}

interface RequestSample {
  CommandParams: { Tactics: string[]; Techniques: string[] };
}

interface ResponseSample {
  contextData: { techniques: { TacticName: string; TechniqueName: string }[] }[];
}

/** Every `{...}` block that follows a line reading `JSON`. */
function jsonBlocks(page: string): string[] {
  const blocks: string[] = [];
  const marker = /^JSON\s*$/gm;
  for (let match = marker.exec(page); match !== null; match = marker.exec(page)) {
    const start = page.indexOf('{', match.index);
    let depth = 0;
    for (let end = start; end < page.length; end++) {
      if (page[end] === '{') depth++;
      if (page[end] === '}' && --depth === 0) {
        blocks.push(page.slice(start, end + 1));
        break;
      }
    }
  }
  return blocks;
}
