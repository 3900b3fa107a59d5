package db

import (
	"context"
	"fmt"
)

// backfillSubscriptionPrices gives subscriptions created before schema version 4 the price
// snapshot that version added: their plan's price at the upgrade (the best that is known; no price
// history was kept before), and the complimentary flag when nothing was ever billed for a priced
// plan (paid_through is null: an admin assigned it). Rows created since always have a currency, so
// the statement changes nothing on an upgraded database and runs on every start.
func (d *DB) backfillSubscriptionPrices(ctx context.Context, r sqlRunner) error {
	const q = `UPDATE plan_subscriptions SET
 price_minor = (SELECT p.price_minor FROM plans p WHERE p.id = plan_subscriptions.plan_id),
 currency = (SELECT p.currency FROM plans p WHERE p.id = plan_subscriptions.plan_id),
 "interval" = (SELECT p."interval" FROM plans p WHERE p.id = plan_subscriptions.plan_id),
 price_version = (SELECT p.price_version FROM plans p WHERE p.id = plan_subscriptions.plan_id),
 complimentary = (paid_through IS NULL AND (SELECT p.price_minor FROM plans p WHERE p.id = plan_subscriptions.plan_id) > 0)
WHERE currency = ''`
	if _, err := r.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("backfilling subscription prices: %w", err)
	}
	return nil
}

// backfillPauses marks the subscriptions paused before schema version 6 as pauses since they
// started (rows steward writes carry paused_at from the pause itself, so the statement changes
// nothing on an upgraded database and runs on every start). A pause that a resume already ended
// before the upgrade left no mark to find it by; it keeps counting as paid.
func (d *DB) backfillPauses(ctx context.Context, r sqlRunner) error {
	const q = `UPDATE plan_subscriptions SET paused_at = created_at WHERE status = 'PAUSED' AND paused_at IS NULL`
	if _, err := r.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("backfilling pauses: %w", err)
	}
	return nil
}

// backfillMemberCreation copies users.created_at into the memberships made before schema version
// 8, which a group's members page orders by (ent/schema/membership.go). Rows steward writes carry
// it from their creation, so the statement changes nothing on an upgraded database and runs on
// every start.
func (d *DB) backfillMemberCreation(ctx context.Context, r sqlRunner) error {
	const q = `UPDATE memberships SET
 user_created_at = (SELECT u.created_at FROM users u WHERE u.id = memberships.user_id)
WHERE user_created_at IS NULL`
	if _, err := r.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("backfilling membership creation times: %w", err)
	}
	return nil
}
