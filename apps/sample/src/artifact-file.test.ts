import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOf, readArtifactFile } from './artifact-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'd3soar-artifact-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  return readArtifactFile(path);
}

describe('formatOf', () => {
  it.each([
    ['.json', 'x', 'json'],
    ['.csv', 'x', 'csv'],
    ['.txt', '[1]', 'text'],
    ['', '  [{"URL": "http://a"}]', 'json'],
    ['', '# exported\nFileName,SHA256\na,b', 'csv'],
    ['', '8.8.8.8\nevil[.]com', 'text'],
    ['', 'hxxp://a.example/x,y', 'text'],
  ])('reads extension %j with content %j as %s', (extension, text, format) => {
    expect(formatOf(extension, text)).toBe(format);
  });
});

describe('readArtifactFile', () => {
  it('reads one indicator per line of text, skipping blank and # lines, with line numbers', async () => {
    const file = await read('iocs.txt', '# from the report\r\n8.8.8.8\n\n  evil[.]com  \n');
    expect(file).toEqual({
      format: 'text',
      artifacts: ['8.8.8.8', 'evil[.]com'],
      sources: ['iocs.txt line 2', 'iocs.txt line 4'],
      unreadable: [],
    });
  });

  it('reads CSV rows as field objects, leaving empty cells out and unreadable rows aside', async () => {
    const file = await read(
      'files.csv',
      'FileName,SHA256,Reputation\na.exe,abc,High\nb.exe,def,Low,extra\nc.exe,,\n,,\n',
    );
    expect(file.artifacts).toEqual([
      { FileName: 'a.exe', SHA256: 'abc', Reputation: 'High' },
      { FileName: 'c.exe' },
    ]);
    expect(file.sources).toEqual(['files.csv line 2', 'files.csv line 4']);
    expect(file.unreadable.map((line) => line.source)).toEqual([
      'files.csv line 3',
      'files.csv line 5',
    ]);
  });

  it('names a JSON item that is no artifact, and keeps the others', async () => {
    const file = await read('a.json', '[{"UserName":"j.doe"}, 42, "8.8.8.8"]');
    expect(file.sources).toEqual(['a.json item 1', 'a.json item 3']);
    expect(file.unreadable).toEqual([
      { source: 'a.json item 2', reason: expect.stringContaining('neither') as unknown },
    ]);
  });

  it('reads JSON, text and CSV that start with a byte-order mark', async () => {
    const bom = '\uFEFF';
    expect((await read('a.json', `${bom}["8.8.8.8"]`)).artifacts).toEqual(['8.8.8.8']);
    expect((await read('b.txt', `${bom}8.8.8.8\n`)).artifacts).toEqual(['8.8.8.8']);
    expect((await read('c.csv', `${bom}UserName\nj.doe\n`)).artifacts).toEqual([
      { UserName: 'j.doe' },
    ]);
  });

  it('refuses a file it cannot read with the flag and the reason', async () => {
    await expect(readArtifactFile(join(dir, 'missing.txt'))).rejects.toThrow(
      /^--file: cannot read .*missing\.txt' \(ENOENT\)$/,
    );
  });
});
