import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A fenced ```ts block of a README, with where it starts so failures can point at it. */
export interface Snippet {
  /** The README's path relative to the repository root. */
  readme: string;
  /** The 1-based line of the README on which the snippet's code begins. */
  line: number;
  code: string;
}

/** The README files whose TypeScript snippets users copy: the root's and each package's. */
export function readmePaths(repoRoot: string): string[] {
  return [
    'README.md',
    'openapi/README.md',
    'packages/client/README.md',
    'packages/domain/README.md',
    'packages/mock-server/README.md',
    'apps/sample/README.md',
  ].map((path) => join(repoRoot, path));
}

/**
 * Every ```ts / ```typescript block of a Markdown text. Other fences (sh, json, text) are
 * not code a user compiles, so they are left alone.
 */
export function extractSnippets(markdown: string, readme: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  let open: { line: number; code: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open) {
      if (/^\s*```\s*$/.test(text)) {
        snippets.push({ readme, line: open.line, code: open.code.join('\n') });
        open = undefined;
      } else {
        open.code.push(text);
      }
    } else if (/^\s*```(ts|typescript)\s*$/.test(text)) {
      open = { line: index + 2, code: [] };
    }
  });
  if (open) throw new Error(`${readme}:${open.line - 1}: a \`\`\`ts block is never closed`);
  return snippets;
}

export function snippetsOf(repoRoot: string): Snippet[] {
  return readmePaths(repoRoot).flatMap((path) =>
    extractSnippets(readFileSync(path, 'utf8'), relative(repoRoot, path)),
  );
}
