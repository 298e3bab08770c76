// @ts-check
// One ESLint config for the whole monorepo. Every package's `lint` script runs `eslint .` in its
// own folder; ESLint finds this file by walking up, and typed rules get their program from the
// nearest tsconfig.json of each file through the project service.
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/dist/',
    '**/coverage/',
    '**/test-output/',
    '**/.turbo/',
    // Generated from the contract by each package's `generate` script: fixed at the generator.
    '**/src/generated/',
  ]),

  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    // Changed from strict-type-checked (nothing else is turned off or relaxed):
    rules: {
      // Template literals build messages and tables from numbers throughout (counts, ports, ms);
      // `${count}` is clear and safe for numbers, so only those are allowed besides strings.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => doSomething()` as a callback (vitest's `expect(() => f()).toThrow()`, listeners,
      // `.finally(() => server.close())`) reads as intended; braces around it would only add noise.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Leaving a property out by destructuring it next to a rest element is the idiom for
      // "everything but": the named binding is unused on purpose. `_name` marks the same intent.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          ignoreRestSiblings: true,
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
        },
      ],
    },
  },

  // Tests index into fixtures they have just built; with noUncheckedIndexedAccess every such read
  // is `T | undefined`, and a wrong `!` fails the test at once, which is what a test is for.
  {
    files: ['**/*.test.ts', '**/*.test-d.ts', '**/test-support/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },

  // Plain JavaScript (build scripts, bin shims, this file) is not part of any tsconfig program, so
  // it gets the untyped rules only, with Node's globals.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: globals.node,
    },
  },
);
