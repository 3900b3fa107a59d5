// Package steward is the module root; it only holds the code generation steps, in their fixed order:
// ent and entgql first (they write graph/ent.graphqls and update gqlgen.yml), then gqlgen, then the
// rewrite of gqlgen's executor that internal/gqlexec/rewrite explains.
package steward

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go tool gqlgen generate
// -ready: resolvers that only convert a value of their object and never wait.
//go:generate go run ./internal/gqlexec/rewrite -ready AuditLog.action graph/generated.go
