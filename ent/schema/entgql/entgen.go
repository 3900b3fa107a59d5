//go:build entgen

package entgql

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent/schema"
)

// SkipMode says which parts of the generated GraphQL leave a type or field out.
type SkipMode = entgql.SkipMode

// The parts a type or field can be left out of (entgql's flags).
const (
	SkipAll                 = entgql.SkipAll
	SkipType                = entgql.SkipType
	SkipWhereInput          = entgql.SkipWhereInput
	SkipOrderField          = entgql.SkipOrderField
	SkipMutationCreateInput = entgql.SkipMutationCreateInput
	SkipMutationUpdateInput = entgql.SkipMutationUpdateInput
)

// Skip leaves a type or field out of the given parts of the GraphQL schema.
func Skip(modes ...SkipMode) schema.Annotation { return entgql.Skip(modes...) }

// Type names the GraphQL type of an entity or field.
func Type(name string) schema.Annotation { return entgql.Type(name) }

// OrderField makes a field orderable under the given enum value.
func OrderField(name string) schema.Annotation { return entgql.OrderField(name) }

// RelayConnection generates a Relay connection for the entity.
func RelayConnection() schema.Annotation { return entgql.RelayConnection() }

// MultiOrder lets a connection take a list of orders.
func MultiOrder() schema.Annotation { return entgql.MultiOrder() }
