import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const specPath = join(appDir, '..', '..', 'openapi', 'd3soar.openapi.yaml');
const pagePath = join(appDir, 'dist', 'index.html');
const screenshotDir = join(appDir, 'test-output');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface SchemaObject {
  $ref?: string;
  properties?: Record<string, SchemaObject>;
}
interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  requestBody: {
    content: {
      'application/json': {
        schema: SchemaObject;
        examples: Record<string, { value: { CommandParams: unknown } }>;
      };
    };
  };
}
interface Spec {
  paths: Record<string, { post: Operation }>;
  components: { schemas: Record<string, SchemaObject> };
}

// What the page must show is read from the contract itself, so the test follows the document.
const spec = parse(readFileSync(specPath, 'utf8')) as Spec;
const resolve = (schema: SchemaObject): SchemaObject =>
  schema.$ref ? resolve(spec.components.schemas[schema.$ref.split('/').pop()!]!) : schema;
const stringLeaves = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.values(value).flatMap(stringLeaves)
      : [];
const operations = Object.entries(spec.paths).map(([path, item]) => {
  const content = item.post.requestBody.content['application/json'];
  const commandParams = resolve(resolve(content.schema).properties!['CommandParams']!);
  return {
    path,
    operation: item.post,
    parameterNames: Object.keys(commandParams.properties ?? {}),
    exampleValues: stringLeaves(Object.values(content.examples)[0]!.value.CommandParams),
  };
});
/** A value of an operation's first request example that no other operation's example has. */
const distinctiveExampleValue = (operationId: string): string => {
  const own = operations.find((o) => o.operation.operationId === operationId)!;
  const others = new Set(operations.filter((o) => o !== own).flatMap((o) => o.exampleValues));
  const value = own.exampleValues.find((v) => v.length > 3 && !others.has(v));
  if (!value) throw new Error(`${operationId}: its example has no value of its own to look for`);
  return value;
};

// Unset when launching fails, so afterAll must not assume it.
let browser: Browser | undefined;
let page: Page;
/** Every request the page tried to make to a network: must stay empty. */
const outsideRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(pagePath)) throw new Error(`${pagePath} is missing: build the app first`);
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.route(/^(https?|wss?):/, async (route) => {
    outsideRequests.push(route.request().url());
    await route.abort();
  });
  await page.goto(pathToFileURL(pagePath).href);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the rendered API reference', () => {
  it('has exactly the three commands of the contract', () => {
    expect(operations.map((o) => o.operation.operationId).sort()).toEqual([
      'SaveArtifactForIncident',
      'SetEventTechniques',
      'TriggerIncidentExternalAction',
    ]);
  });

  for (const { path, operation, parameterNames } of operations) {
    it(`shows ${operation.operationId} with its parameters and a request example`, async () => {
      // Navigate as a reader does: open the operation's group in the sidebar.
      await page.getByText(operation.tags[0]!, { exact: true }).first().click();
      // Redoc gives each operation's section an id ending in its lower-cased operationId;
      // everything below is looked for inside that section only.
      const section = page.locator(`[id$="/${operation.operationId.toLowerCase()}"]`).first();
      await section.getByRole('heading', { name: operation.summary }).first().waitFor();
      const expandAll = section.getByText('Expand all', { exact: true }).first();
      if (await expandAll.isVisible()) await expandAll.click();

      const text = await section.innerText();
      expect(text).toContain(path);
      for (const name of parameterNames) {
        expect(text).toContain(name);
        const parameterId = `path=commandparams/${name.toLowerCase()}`;
        const parameter = section.locator(`[id$="${parameterId}"]`);
        // The rows may render a moment after the heading: wait for the row, then count.
        await parameter.first().waitFor({ state: 'attached' });
        await expect(parameter.count()).resolves.toBe(1);
      }
      expect(text).toContain(distinctiveExampleValue(operation.operationId));

      mkdirSync(screenshotDir, { recursive: true });
      const screenshot = join(screenshotDir, `${operation.operationId}.png`);
      await page.screenshot({ path: screenshot });
      expect(existsSync(screenshot)).toBe(true);
    }, 30_000);
  }

  it('opens an operation fully: every nested request and response field shows without asking', async () => {
    const [first] = operations;
    if (first === undefined) throw new Error('the contract has no operation');
    const { operation, parameterNames } = first;
    await page.getByText(operation.tags[0]!, { exact: true }).first().click();
    const section = page.locator(`[id$="/${operation.operationId.toLowerCase()}"]`).first();
    await section.getByRole('heading', { name: operation.summary }).first().waitFor();
    const lastField = parameterNames.at(-1)!.toLowerCase();
    await section.locator(`[id$="path=commandparams/${lastField}"]`).first().waitFor();
    // Redoc marks each nested schema open or closed; a reader should not have to open any.
    const nested = await section
      .locator('[data-schema-nested-open]')
      .evaluateAll((elements) => elements.map((e) => e.getAttribute('data-schema-nested-open')));
    expect(nested.length).toBeGreaterThan(0);
    expect(nested.filter((open) => open !== 'true')).toEqual([]);
  }, 30_000);

  it('fits its first view into a 1280 px window: no word of the title broken, no example cut off', async () => {
    if (browser === undefined) throw new Error('the browser did not start');
    const narrow = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await narrow.goto(pathToFileURL(pagePath).href);
      const title = narrow.locator('h1').first();
      await title.waitFor();
      // A word broken across lines has more than one line box.
      const brokenWords = await title.evaluate((heading) => {
        const text = heading.firstChild;
        if (text === null || text.nodeType !== Node.TEXT_NODE) return ['(no text)'];
        const broken: string[] = [];
        for (const match of (text.textContent ?? '').matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(text, match.index);
          range.setEnd(text, match.index + match[0].length);
          if (range.getClientRects().length > 1) broken.push(match[0]);
        }
        return broken;
      });
      expect(brokenWords).toEqual([]);
      const cutOff = await narrow.evaluate(() =>
        [...document.querySelectorAll('pre, code')]
          .filter((block) => block.getBoundingClientRect().top < window.innerHeight * 2)
          .filter((block) => block.scrollWidth > block.clientWidth + 1)
          .map((block) => block.textContent.slice(0, 40)),
      );
      expect(cutOff).toEqual([]);
      const shown = await narrow.evaluate(() => document.body.innerText);
      expect(shown).not.toMatch(/\.invalid\b|example\.invalid/);
    } finally {
      await narrow.close();
    }
  });

  it('loads nothing from the network', () => {
    expect(outsideRequests).toEqual([]);
  });
});
