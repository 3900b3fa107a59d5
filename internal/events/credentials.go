package events

import "context"

// CredentialsTopic carries "this user's credentials changed" events (sign-out, revocation, role
// change, deletion), keyed by user id. Live streams of that user re-check their credential on
// each. It lives here, beside the bus, because the packages that publish it (sessions) and those
// that listen (live) must not depend on each other.
const CredentialsTopic = "credentials"

// ReconnectedTopic carries, on this replica only, the notice that the bus reconnected to the other
// replicas: events they published meanwhile were lost, so whatever they keep coherent (the
// credential cache, the query cache) must start over.
const ReconnectedTopic = "bus.reconnected"

// CredentialsChanged announces that userID's credentials changed; publish it after commit.
func CredentialsChanged(ctx context.Context, bus Bus, userID string) error {
	return bus.Publish(ctx, Event{Topic: CredentialsTopic, Key: userID})
}
