// Package steward is the module root; it only holds the code generation steps, in their fixed order:
// ent and entgql first (they write graph/ent.graphqls and update gqlgen.yml), then gqlgen.
package steward

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen generate
