// Package authz is the one place that decides who may do what in steward. It holds four kinds of
// rule, and nothing else in the code base makes an authorization decision:
//
//   - Capabilities (capability.go): named abilities such as ManageUsers or MeterUsage(user). Every
//     domain method asks for exactly one with Require before it does anything, whoever calls it: a
//     resolver, a command, a background job or a test. The @hasRole and @hasPermission directives
//     are the same checks, shown on the schema.
//   - Actors (actor.go): the named parts of steward that act on their own authority rather than a
//     viewer's (the renewer, the payment webhook, sign-up, authentication, the audit writer, ...).
//     Each holds only the capabilities and the tables it needs; there is no blanket "system".
//   - Row rules (rows.go): the ent privacy policy of every entity, declared in ent/schema from the
//     rules here, so they hold on every path (lists, node/nodes, nested edges, jobs) by
//     construction.
//   - Field rules (fields.go): one table of the private fields of public types (a user's email,
//     settings, usage, ...) and who may read them, enforced by the @private directive.
//
// The package is a leaf: it imports neither internal/db nor any domain package. Rules that need
// data (a permission key) take a small interface.
package authz
