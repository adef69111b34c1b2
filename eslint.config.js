// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Relative imports that climb into another runtime's folder. */
const into = (...folders) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`,
  message: `This runtime may not import from ${folders.join(', ')}/ (see docs/ARCHITECTURE.md, "Layout").`,
});

/** What no page file may import. */
const pageImports = [
  into('server', 'sw', 'tests', 'bench'),
  { regex: '^node:', message: 'The page runs in a browser: no Node built-ins.' },
];

/** What no server file may import; routes add one more rule below. */
const serverImports = [
  into('src', 'sw', 'tests', 'bench'),
  { regex: '^(react|react-dom|dexie|workbox-)', message: 'The server never loads page or worker libraries.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'dev-dist/', 'node_modules/', 'data/', 'test-results/', 'playwright-report/', 'bench/results/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['protocol/**/*.ts'],
    ignores: ['protocol/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./', message: 'protocol/ is the shared contract: it imports nothing from the runtimes.' },
            { regex: '^(?!zod$|\\./)', message: 'protocol/ may import zod only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: { 'no-restricted-imports': ['error', { patterns: pageImports }] },
  },
  {
    // The page's arrows point down: app → features → outbox → data. The outbox reaches data's
    // feed only through the interface src/app wires (data/sync-page-fetcher.ts).
    files: ['src/data/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...pageImports,
            { regex: '^\\.\\./(outbox|features|app)(/|$)', message: 'src/data/ knows nothing of the outbox, features or the app that compose it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...pageImports,
            { regex: '^dexie', message: 'Features read through the named queries of src/data/ and write through the outbox or src/data/local-writes.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['sw/**/*.ts'],
    languageOptions: { globals: globals.serviceworker },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            into('src', 'server', 'tests', 'bench'),
            { regex: '^(react|react-dom|react-router|@tanstack/)', message: 'The service worker never loads UI code.' },
            { regex: '^node:', message: 'The service worker runs in a browser: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    // The device's database is shared by the page and the worker (the worker writes what a push
    // brings): it may import only the contract and dexie, so neither runtime leaks into the other.
    files: ['device-db/**/*.ts'],
    ignores: ['device-db/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            into('src', 'sw', 'server', 'tests', 'bench'),
            { regex: '^(?!dexie$|\\.\\./protocol(/|$)|\\./)', message: 'device-db/ may import only protocol/ and dexie.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.{ts,mjs}'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: serverImports,
        },
      ],
    },
  },
  {
    // Routes are thin adapters over services: what they read or write goes through a service, never
    // straight to the database.
    files: ['server/routes/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...serverImports,
            { regex: '(^|/)db(/|$)', message: 'Routes go through a service (server/activities, server/users, server/sync, …), never to server/db.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,mjs}', 'bench/**/*.{ts,mjs}', 'scripts/**/*.mjs', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
