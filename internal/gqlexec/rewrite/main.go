// Command rewrite is the last code generation step (see generate.go). It rewrites six things in
// gqlgen's generated executor that cost steward's pages most and that gqlgen v0.17.95 has no
// option for (issue 17; profiles of the users page in README):
//
//  1. Plain fields marshal their value directly. A field that only reads a struct field of a
//     scalar or enum type, with no directive at run time, no arguments, no resolver and no
//     method, no longer goes through graphql.ResolveField, which built a FieldContext (with a
//     closure and an eagerly built error for a child a scalar never has), a context value, a
//     resolver closure and two boxings of the value for every such field of every row: about 8
//     allocations a field, 28% of the users page's.
//  2. Lists of objects are marshalled in order when nothing under them can wait: see
//     internal/gqlexec. The generated table of the executor's types (which fields run
//     concurrently, which object types a field's value may be) is appended to the file.
//  3. Resolvers named with -ready, which never wait (a conversion such as AuditLog.action), run in
//     place: gqlgen gave each a goroutine when an object had two or more resolvers selected.
//  4. An object with no @defer under it skips handing gqlgen an empty deferred group, whose path
//     gqlgen built (a slice per object) before finding nothing to do, and its fields are written
//     by gqlexec.Object instead of FieldSet.MarshalGQL, which copied every field to the heap and
//     made a map of the names written, per object. The Object holds both of the object's
//     FieldSets and the values of up to 8 fields, in one allocation where gqlgen made four.
//  5. A query's or mutation's data is written by gqlexec.Marshal into a buffer kept from one
//     response to the next, where gqlgen grew a new one from nothing, and copied out at its size.
//  6. The map of input unmarshalers that gqlgen built for every operation (a hundred method
//     values and a map, 3% of a small query's CPU) is built once, when no unmarshal method uses
//     its execution context for anything but calling another (gqlexec.ShareUnmarshalers).
//
// What keeps (1) exact, field by field:
//   - @private and every other directive that runs at execution keep gqlgen's path (the
//     directive is in the field's function, which is then left alone);
//   - only scalars and enums: no child field needs the field's context;
//   - a non-null field whose value could marshal to null (a zero time) keeps gqlgen's full path
//     for that value, so the error, its path and null propagation are gqlgen's; marshalling that
//     is not known here keeps the full path always;
//   - a field middleware (AroundFields, a FieldInterceptor) no longer sees these fields.
//     steward's only one, the tracing extension, opens spans for root fields only, which are all
//     resolvers and keep the full path.
//
// The rewrite is a function of gqlgen's output alone, so `go generate ./...` stays reproducible
// and CI's check that generated code is up to date covers it.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	ready := flag.String("ready", "", "comma-separated resolvers (Type.field) that never wait, to run in place")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: rewrite [-ready Type.field,...] <gqlgen's generated executor file>")
		os.Exit(2)
	}
	path := flag.Arg(0)
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(1)
	}
	var names []string
	if *ready != "" {
		names = strings.Split(*ready, ",")
	}
	out, st, err := Rewrite(src, names)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rewrite:", err)
		os.Exit(1)
	}
	shared := "built per operation (an unmarshaler uses its context)"
	if st.SharedUnmarshalers {
		shared = "shared"
	}
	fmt.Printf("rewrite: %s: %d plain fields, %d lists, %d objects, %d responses; input unmarshalers %s\n",
		path, st.Fields, st.Lists, st.Objects, st.Responses, shared)
}
