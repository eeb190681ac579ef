import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // stdout is the MCP protocol channel in stdio mode: server code logs to stderr only.
    files: ['src/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'stdout', message: 'stdout carries the MCP protocol; write to stderr (src/log.ts) or use src/cli/output.ts.' }],
    },
  },
  {
    // The MCP App views put every string on the page as text (src/apps/view/dom.ts), never as markup.
    files: ['src/apps/view/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'write', 'writeln', 'srcdoc'].map((property) => ({ property, message: 'Views insert provider text as text only (el() in src/apps/view/dom.ts).' })),
      ],
    },
  },
  {
    // The one exception: the shell commands (`call`, `tools`) print their result here, and only here.
    files: ['src/cli/output.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
