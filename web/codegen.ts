// Typed operations for the console: the schema is the server's own SDL files (the hand-written
// ones and the ent-generated graph/ent.graphqls), so a schema change shows up as a type error here.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: ['../schema.graphql', '../graph/*.graphqls'],
  documents: ['src/admin/**/*.{ts,tsx}'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: 'string', Time: 'string', Cursor: 'string', JSON: 'unknown', Int64: 'number', Decimal: 'string' },
      },
    },
  },
};
export default config;
