// Lint for the whole project. The folder is the layer (../shared/STYLE.md §1): these
// no-restricted-imports overrides are what keep electron in src-main/app and Node out of
// the renderer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronOnlyInApp = {
  paths: [{ name: 'electron', message: 'Only src-main/app/ may import electron (DESIGN.md: the core is plain Node).' }],
  patterns: [
    { group: ['**/app/*', '**/app/**'], message: 'The core never imports the Electron glue in src-main/app/.' },
    { group: ['**/src-renderer/**'], message: 'The core never imports the renderer.' },
  ],
};

const rendererRules = {
  patterns: [
    { group: ['node:*'], message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
    { group: ['electron', '@tensorflow/*', 'music-metadata', 'taglib-wasm', 'node-taglib-sharp'], message: 'The renderer talks to the core only through the BettiApi client.' },
    {
      regex: 'src-main/(?!api/(contract|errors)\\.ts$|api/schemas/[\\w-]+\\.ts$)',
      message: 'The renderer may import only the contract, schemas and error types from src-main/api/.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['src-renderer/vite.config.ts', 'src-renderer/svelte.config.js', 'node_modules/**', 'out/**', 'dist/**', 'test-output/**', 'training/.cache/**', '**/*.svelte'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ThrowStatement > Literal', message: 'Throw an Error subclass, never a string.' }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'bench/**/*.ts', 'training/**/*.ts', 'test/**/*.ts'],
    // test/renderer holds the renderer's own tests, which import it (as test/app imports electron).
    ignores: ['src-main/app/**', 'test/app/**', 'test/renderer/**'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInApp] },
  },
  {
    files: ['src-renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', rendererRules] },
  },
);
