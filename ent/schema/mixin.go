package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
	"github.com/google/uuid"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// TimeMixin adds created_at and updated_at, both orderable, both set by the server.
type TimeMixin struct{ mixin.Schema }

// Fields of the TimeMixin.
func (TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
		field.Time("updated_at").Default(now).UpdateDefault(now).
			Annotations(entgql.OrderField("UPDATED_AT"), entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)),
	}
}

// CreatedMixin is TimeMixin for append-only rows that are never updated.
type CreatedMixin struct{ mixin.Schema }

// Fields of the CreatedMixin.
func (CreatedMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(now).Immutable().
			Annotations(entgql.OrderField("CREATED_AT")),
	}
}

// UUIDMixin gives an entity a string UUID id, as Open WebUI uses for users and groups.
type UUIDMixin struct{ mixin.Schema }

// Fields of the UUIDMixin.
func (UUIDMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").DefaultFunc(uuid.NewString).Immutable().NotEmpty().MaxLen(64),
	}
}

// TimeUUIDMixin gives time-ordered (v7) UUIDs, for rows listed newest first.
type TimeUUIDMixin struct{ mixin.Schema }

// Fields of the TimeUUIDMixin.
func (TimeUUIDMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").DefaultFunc(newV7).Immutable().NotEmpty().MaxLen(64),
	}
}

// now is UTC so that every stored time compares equal across SQLite and PostgreSQL.
func now() time.Time { return time.Now().UTC() }

func newV7() string { return uuid.Must(uuid.NewV7()).String() }
