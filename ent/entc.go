//go:build ignore

package main

import (
	"log"

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
	err = entc.Generate("./ent/schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeaturePrivacy, gen.FeatureEntQL, gen.FeatureIntercept, gen.FeatureUpsert,
			gen.FeatureLock, gen.FeatureExecQuery, gen.FeatureModifier, gen.FeatureNamedEdges,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}
