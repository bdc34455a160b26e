// Lint with the layer rules of ../shared/STYLE.md:
// - shared imports no node, electron or DOM, and nothing else of ours;
// - the renderer imports no electron and no node:*; it reaches main only through window.api;
// - backend modules reach each other only through their index.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'buffer', 'zlib', 'worker_threads'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/out/**', '**/.syntra*/**', 'desktop/out/**', 'test-results/**', 'examples/**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', Buffer: 'readonly', performance: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/test/**', '**/*.test.ts', '**/*.test.tsx', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['shared/src/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_BUILTINS, message: 'shared is plain TypeScript: no node built-ins.' },
          { group: ['electron', 'electron/*'], message: 'shared must not import electron.' },
          { group: ['@syntra/backend', '@syntra/agent', '@syntra/desktop', '**/backend/**', '**/agent/**', '**/desktop/**'], message: 'shared imports nothing else of ours.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'require', '__dirname'],
    },
  },
  {
    files: ['desktop/src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_BUILTINS, message: 'The renderer never imports node; use window.api.' },
          { group: ['electron', 'electron/*'], message: 'The renderer never imports electron; use window.api.' },
          { group: ['**/main/**', '**/preload/**'], message: 'The renderer reaches main only through window.api.' },
          { group: ['**/lib/api.js', './api.js'], importNames: ['api'], message: 'Call the control plane with call(contracts.x, …) from lib/api-client.ts.' },
        ],
      }],
      // Paths come from the route contracts in @syntra/shared (lib/api-client.ts builds them), so a
      // renamed or removed route fails the type check instead of a page at run time.
      'no-restricted-syntax': ['error',
        { selector: String.raw`Literal[value=/\/api\/v\d/]`, message: 'No hand-written API paths: use call(contracts.x, …) from lib/api-client.ts.' },
        { selector: String.raw`TemplateElement[value.raw=/\/api\/v\d/]`, message: 'No hand-written API paths: use call(contracts.x, …) from lib/api-client.ts.' },
      ],
    },
  },

  {
    files: ['backend/src/modules/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: String.raw`^\.\./(?!\.\.)[^/]+/(?!index\.js$).+`, message: 'Reach another module through its index.ts.' },
        ],
      }],
    },
  },
);
