// Package entgql gives ent/schema entgql's GraphQL annotations without linking
// entgo.io/contrib/entgql, and with it its generator (go/types, x/tools, entc, gqlgen's codegen),
// into the server: ent/runtime imports ent/schema for hooks, policies and defaults.
//
// Only the generator reads annotations. ent's loader builds the schema with the entgen build tag
// (ent/entc.go), which selects entgen.go: each helper returns entgql's own annotation. Every other
// build (the server, its tests, go vet) gets placeholder.go, whose helpers return a
// placeholder, since at run time ent only calls Fields, Hooks, Policy and Interceptors.
// third_party/entgql holds the run-time types (cursors, order directions) instead.
//
// A helper the schema needs next is added to both files with the same signature.
package entgql
