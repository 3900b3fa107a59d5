package schema

import (
	"encoding/json"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// ConfigEntry is one persisted configuration section, keyed by its name. Environment variables seed
// an entry on first start; after that the database wins, as in Open WebUI's PersistentConfig.
type ConfigEntry struct{ ent.Schema }

// Fields of the ConfigEntry.
func (ConfigEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").Immutable().NotEmpty(),
		field.JSON("value", json.RawMessage{}),
		field.Int("version").Default(1),
		field.String("updated_by").Optional(),
		field.Time("updated_at").Default(now).UpdateDefault(now),
	}
}

// Annotations of the ConfigEntry.
func (ConfigEntry) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}
