package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
	"github.com/steward-dev/steward/ent/schema/entgql"
)

// AuditLog is one append-only, hash-chained record of a state change. actor_id is a plain column so
// the record outlives the account.
type AuditLog struct{ ent.Schema }

// Mixin of the AuditLog.
func (AuditLog) Mixin() []ent.Mixin { return []ent.Mixin{TimeUUIDMixin{}, CreatedMixin{}} }

// Fields of the AuditLog.
func (AuditLog) Fields() []ent.Field {
	return []ent.Field{
		// seq orders the chain; unique, so two writers cannot both append after the same entry.
		field.Int64("seq").Unique().Immutable().
			Annotations(entgql.OrderField("SEQ")),
		field.String("actor_id").Optional().Nillable().Immutable(),
		// action is exposed by hand as the AuditAction enum (internal/audit owns the values).
		field.String("action").Immutable().
			Annotations(entgql.Skip(entgql.SkipType)),
		field.String("entity_type").Immutable(),
		field.String("entity_id").Optional().Immutable(),
		field.String("description").Default("").Immutable(),
		field.JSON("changes", map[string]any{}).Optional().Immutable().
			Annotations(entgql.Type("JSON")),
		field.String("ip").Default("").Immutable(),
		field.String("user_agent").Default("").Immutable(),
		field.String("request_id").Default("").Immutable(),
		field.String("prev_hash").Default("").Immutable(),
		field.String("hash").Immutable(),
	}
}

// Indexes of the AuditLog: one per filter of auditLogs.
func (AuditLog) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("created_at"),
		index.Fields("action", "created_at"),
		index.Fields("entity_type", "entity_id", "created_at"),
		index.Fields("actor_id", "created_at"),
	}
}

// Annotations of the AuditLog.
func (AuditLog) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.Skip(entgql.SkipWhereInput),
		// graph/audit.graphqls' hand-written fields and the columns their resolvers read.
		Collect{Fields: map[string][]string{"action": {"action"}, "actor": {"actor_id"}}}}
}
