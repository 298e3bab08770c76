import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refang } from './refang.js';

describe('refang', () => {
  it.each([
    ['hxxp://evil.example/a', 'http://evil.example/a'],
    ['hXXps://evil[.]example/a', 'https://evil.example/a'],
    ['hxxps[:]//evil[.]example', 'https://evil.example'],
    ['hxxp[://]evil(.)example', 'http://evil.example'],
    ['fxp://files{.}example', 'ftp://files.example'],
    ['1.2.3[.]4', '1.2.3.4'],
    ['1[.]2[.]3[.]4', '1.2.3.4'],
    ['example[dot]com', 'example.com'],
    ['admin[@]example[.]com', 'admin@example.com'],
    ['admin(at)example(dot)com', 'admin@example.com'],
    ['fe80[:]:1', 'fe80::1'],
  ])('turns %s into %s', (defanged, plain) => {
    expect(refang(defanged)).toBe(plain);
  });

  it('leaves values without defang markers unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[[({]|hxxp|h\*\*p|fxp/i.test(s)),
        (text) => refang(text) === text,
      ),
      { numRuns: 200 },
    );
  });

  it('leaves a bracketed word that is no marker alone', () => {
    expect(refang('Process [x86] (64-bit)')).toBe('Process [x86] (64-bit)');
  });
});
