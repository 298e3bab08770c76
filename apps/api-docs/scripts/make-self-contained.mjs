// Redoc's page is built with its scripts inlined, but its "API docs by Redocly" badge still
// points at an image on Redocly's CDN. Readers of this page may have no network (and the
// contract test forbids it), so the badge image is replaced by an inline SVG with the same words,
// and the build fails if any other CDN reference appears in a later Redoc version.
import { readFileSync, writeFileSync } from 'node:fs';

const pagePath = new URL('../dist/index.html', import.meta.url);
const badge = (width) =>
  'data:image/svg+xml,' +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16"><text x="0" y="12" font-family="sans-serif" font-size="11" fill="#555">Redocly</text></svg>`,
  );

const html = readFileSync(pagePath, 'utf8')
  .replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', badge(48))
  .replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', badge(48));

const remaining = html.match(/https:\/\/cdn\.redoc\.ly\/[^`"' )]*/g);
if (remaining) {
  throw new Error(
    `dist/index.html still loads from the Redocly CDN: ${[...new Set(remaining)].join(', ')}`,
  );
}
writeFileSync(pagePath, html);
