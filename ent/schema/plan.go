package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// Plan is a billing plan. Its id is a readable slug; money is integer minor units, never a float.
type Plan struct{ ent.Schema }

// Mixin of the Plan.
func (Plan) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

// Fields of the Plan.
func (Plan) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").Immutable().NotEmpty().MaxLen(64),
		field.String("name").NotEmpty().MaxLen(255).
			Annotations(entgql.OrderField("NAME")),
		field.String("description").Default("").MaxLen(4096),
		// translations maps a locale to its {name, description}.
		field.JSON("translations", map[string]map[string]string{}).Optional().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int64("price_minor").NonNegative().
			Annotations(entgql.Skip(entgql.SkipAll)),
		// price_version counts the plan's prices: every change of price, currency or interval
		// starts a new version. A subscription records the version (and the price) it was sold at
		// and keeps it until it renews onto the current one, so history never changes.
		field.Int("price_version").Default(1).Positive().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.String("currency").MaxLen(3),
		field.Enum("interval").Values("DAY", "WEEK", "MONTH", "YEAR").Default("MONTH").
			Annotations(entgql.Type("BillingInterval")),
		// quotas maps a usage metric to its limit per period; an absent metric is unlimited.
		field.JSON("quotas", map[string]int64{}).Optional().
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Strings("features").Optional(),
		// trial_days is the free trial a self-serve subscriber gets once (0: none).
		field.Int("trial_days").Default(0).NonNegative(),
		field.Bool("is_active").Default(true),
		field.Int("display_order").Default(0).NonNegative().
			Annotations(entgql.OrderField("DISPLAY_ORDER")),
		field.JSON("metadata", map[string]any{}).Optional().
			Annotations(entgql.Type("JSON")),
	}
}

// Edges of the Plan.
func (Plan) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("subscriptions", PlanSubscription.Type).
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Indexes of the Plan.
func (Plan) Indexes() []ent.Index {
	return []ent.Index{index.Fields("is_active", "display_order")}
}

// Annotations of the Plan.
func (Plan) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipWhereInput)}
}
