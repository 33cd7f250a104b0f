// Flat config: typescript-eslint's recommended rules plus the layer rule from DESIGN.md
// (imports point down the layer list, never up).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layers = ['cli', 'api', 'web', 'runs', 'pipeline', 'guards', 'providers', 'store', 'domain', 'config'];
/** For each layer, the layers above it that it must not import. */
const forbiddenFor = (layer) => layers.slice(0, layers.indexOf(layer)).filter((l) => l !== layer);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'run_reports/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  ...layers
    .filter((l) => forbiddenFor(l).length > 0)
    .map((layer) => ({
      files: [`src/${layer}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: forbiddenFor(layer).map((up) => ({
              group: [`**/${up}/*`, `../${up}/*`, `../../${up}/*`],
              message: `src/${layer} must not import src/${up} (imports point down DESIGN.md's layer list).`,
            })),
          },
        ],
      },
    })),
);
