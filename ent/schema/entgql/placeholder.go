//go:build !entgen

package entgql

import "entgo.io/ent/schema"

// SkipMode says which parts of the generated GraphQL leave a type or field out.
type SkipMode int

// The parts a type or field can be left out of. Their values mean nothing outside the generator.
const (
	SkipAll SkipMode = iota
	SkipType
	SkipWhereInput
	SkipOrderField
	SkipMutationCreateInput
	SkipMutationUpdateInput
)

// Skip leaves a type or field out of the given parts of the GraphQL schema.
func Skip(...SkipMode) schema.Annotation { return placeholder{} }

// Type names the GraphQL type of an entity or field.
func Type(string) schema.Annotation { return placeholder{} }

// OrderField makes a field orderable under the given enum value.
func OrderField(string) schema.Annotation { return placeholder{} }

// RelayConnection generates a Relay connection for the entity.
func RelayConnection() schema.Annotation { return placeholder{} }

// MultiOrder lets a connection take a list of orders.
func MultiOrder() schema.Annotation { return placeholder{} }

// placeholder stands for an annotation that only the generator reads. Generating without the
// entgen tag would otherwise drop every Skip and expose private fields in the GraphQL schema, so
// its Name, which ent's loader reads for each annotation, stops the run instead.
type placeholder struct{}

func (placeholder) Name() string {
	panic(`ent/schema/entgql: annotations read without the "entgen" build tag (see ent/entc.go)`)
}
