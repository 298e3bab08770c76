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
        examples: Record<string, { value: { Site: string } }>;
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
const operations = Object.entries(spec.paths).map(([path, item]) => {
  const content = item.post.requestBody.content['application/json'];
  const commandParams = resolve(resolve(content.schema).properties!['CommandParams']!);
  return {
    path,
    operation: item.post,
    parameterNames: Object.keys(commandParams.properties ?? {}),
    exampleSite: Object.values(content.examples)[0]!.value.Site,
  };
});

let browser: Browser;
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

  for (const { path, operation, parameterNames, exampleSite } of operations) {
    it(`shows ${operation.operationId} with its parameters and a request example`, async () => {
      // Navigate as a reader does: open the operation's group in the sidebar.
      await page.getByText(operation.tags[0]!, { exact: true }).first().click();
      await page.getByRole('heading', { name: operation.summary }).first().waitFor();
      const expandAll = page.getByText('Expand all', { exact: true }).first();
      if (await expandAll.isVisible()) await expandAll.click();

      const text = await page.locator('body').innerText();
      expect(text).toContain(path);
      for (const name of parameterNames) expect(text).toContain(name);
      expect(text).toContain(exampleSite);

      mkdirSync(screenshotDir, { recursive: true });
      const screenshot = join(screenshotDir, `${operation.operationId}.png`);
      await page.screenshot({ path: screenshot });
      expect(existsSync(screenshot)).toBe(true);
    }, 30_000);
  }

  it('loads nothing from the network', () => {
    expect(outsideRequests).toEqual([]);
  });
});
