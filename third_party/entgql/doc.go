// Package entgql is the run-time part of entgo.io/contrib/entgql v0.7.0 (Apache-2.0, LICENSE in
// this folder): cursors, page info and order directions (pagination.go), the mutation
// transactioner (transaction.go) and the node-not-found error (error.go), copied unchanged.
//
// Upstream's package also holds the code generator (extension, schema and template building over
// entc/gen and gqlgen's api and codegen), so any import of it linked go/types, x/tools, entc and
// gqlgen's generator into the server, with their package initialisers run at every start. The
// generated ent code (ent/entc.go rewrites its import to this package), graph/generated.go
// (through ent's aliases) and the hand-written packages import this copy instead; only the
// generator, ent/entc.go, and ent/schema under the entgen build tag (ent/schema/entgql) import
// upstream's package.
//
// It is not under internal/: gqlgen does not follow an alias (ent.Cursor = entgql.Cursor[string])
// into an internal package of the same module, and would bind the alias as a plain struct
// without its MarshalGQL and UnmarshalGQL.
//
// The three files are upstream's, byte for byte, "Code generated" line included (upstream
// generates pagination.go): never edit them, copy them again from the new version when upgrading
// entgo.io/contrib, and keep the generated code and this copy at the same version.
package entgql
