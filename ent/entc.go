//go:build ignore

package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

func main() {
	ex, err := entgql.NewExtension(
		// Our two overrides come after entgql's templates, so their definitions replace entgql's (see
		// their headers). First option: WithTemplates replaces the list that later options extend.
		entgql.WithTemplates(append(entgql.AllTemplates,
			gen.MustParse(gen.NewTemplate("steward_collection").Funcs(entgql.TemplateFuncs).
				ParseFiles("ent/template/collection.tmpl")),
			gen.MustParse(gen.NewTemplate("steward_paginate").Funcs(entgql.TemplateFuncs).
				ParseFiles("ent/template/paginate.tmpl")),
		)...),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("graph/ent.graphqls"),
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(false),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	// ent formats its files concurrently with goimports, which resolves a name such as stdsql
	// from the imports of the package's other files, read from disk while ent may be rewriting
	// them: now and then a file lost its stdsql import (seen once, under load, as tx.go not
	// compiling). One file at a time, every sibling is whole when it is read.
	runtime.GOMAXPROCS(1)
	// The entgen tag makes the schema's GraphQL annotations entgql's own (ent/schema/entgql).
	err = entc.Generate("./ent/schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeaturePrivacy, gen.FeatureEntQL, gen.FeatureIntercept, gen.FeatureUpsert,
			gen.FeatureLock, gen.FeatureExecQuery, gen.FeatureModifier, gen.FeatureNamedEdges,
		},
	}, entc.Extensions(ex), entc.BuildTags("entgen"))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
	// entgql's templates import entgo.io/contrib/entgql, which also holds the generator; its
	// run-time part is copied in third_party/entgql so that the server does not link the generator.
	if err := rewriteImport("ent", "entgo.io/contrib/entgql", "github.com/steward-dev/steward/third_party/entgql"); err != nil {
		log.Fatalf("rewriting the entgql import: %v", err)
	}
}

// rewriteImport replaces the import of from by to in the generated Go files under dir (those
// marked "Code generated"; this file and the schema are not), and formats them again so that
// the import is sorted where gofmt puts it.
func rewriteImport(dir, from, to string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".go" {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if !ast.IsGenerated(f) {
			return nil
		}
		found := false
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == from {
				imp.Path.Value = strconv.Quote(to)
				found = true
			}
		}
		if !found {
			return nil
		}
		var b bytes.Buffer
		if err := format.Node(&b, fset, f); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		return os.WriteFile(path, b.Bytes(), 0o644)
	})
}
