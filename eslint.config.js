// ESLint lives in the tools/lint workspace (see its package.json for why); the rules are in tools/lint/eslint-config.js.
export { default } from './tools/lint/eslint-config.js';
