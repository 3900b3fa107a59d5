package billing

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/metric"
)

// usageBatch is what a batch of usage reports reads before they run (db.Batcher.Prefetch): the
// live subscriptions of its users and, in a run that defers (db.Deferring), the counters of their
// current periods, which the batch then holds: locked FOR UPDATE on PostgreSQL, and on SQLite
// the batch's transaction is the only writer. A report of such a run decides its quota in Go
// against those counters and leaves its event, its counter change and its rollup to FinishBatch,
// which writes those of the whole batch at once: on PostgreSQL in one statement, where each
// report sent its own (a round trip each, the limit of metering there); on SQLite, where a
// statement costs no round trip, in a statement per power of two of events and one per counter.
//
// What the reports decided stays exact: FinishBatch checks that every event went in (an
// idempotency key used before is answered by the undeferred run, as a replay) and, on
// PostgreSQL, that every counter the database returns holds what the reports computed (a counter
// the batch found missing may have been created since by another transaction, which FOR UPDATE
// cannot lock in advance); otherwise the batch runs again with each report writing its own rows.
type usageBatch struct {
	s    *Service
	subs map[string]*liveSub // by user; a user with none, or with more than one, is not in it
	// now is the time of every deferred report of the batch: their events' time and the period
	// their counters are in (reports of one batch are one moment).
	now      time.Time
	counters map[counterKey]*batchCounter // nil when the run does not defer
	events   []eventRow
	days     dailySums // the deferred reports' analytics rollups
}

// eventColumns is the number of arguments of one usage event's insert.
const eventColumns = 11

// batchCounter is a counter of the current period as the batch holds it.
type batchCounter struct {
	id         int64 // the row's, 0 when the database has none yet
	userID     string
	start, end time.Time
	// used and reserved are the database's when read, used then growing with the batch's reports.
	used, reserved int64
	added          int64
	alerted        [2]bool // alerted_80, alerted_100 (alertThresholds)
	alertsChanged  bool
}

// prefetchUsage reads the live subscriptions of a usage batch's users in one statement, where
// each report read its own, and in a deferring run their counters of the current period in
// another. The batch's transaction reads them as its first report would have; reports do not
// change subscriptions.
func (s *Service) prefetchUsage(ctx context.Context, c *ent.Client, userIDs []string) (any, error) {
	b := &usageBatch{s: s, now: s.now(), days: dailySums{}}
	var err error
	if b.subs, err = s.readLiveSubs(ctx, c, userIDs); err != nil {
		return nil, err
	}
	if db.Deferring(ctx) && s.deferBatches {
		if b.counters, err = b.readCounters(ctx, c); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// readLiveSubs reads the live subscriptions of users by user id. A user whose plan does not read,
// or with more than one subscription, is left out: the report's own read decides, as before,
// and fails only that report.
func (s *Service) readLiveSubs(ctx context.Context, c *ent.Client, userIDs []string) (map[string]*liveSub, error) {
	q, list := liveSubsQuery(s.postgres, userIDs)
	rows, err := c.QueryContext(ctx, q, list)
	if err != nil {
		return nil, fmt.Errorf("loading subscriptions: %w", err)
	}
	defer rows.Close()
	subs := make(map[string]*liveSub, len(userIDs))
	seen := make(map[string]bool, len(userIDs))
	for rows.Next() {
		var userID string
		l, err := scanLiveSub(rows, &userID)
		if err != nil && userID == "" {
			return nil, err
		}
		if err != nil || seen[userID] {
			delete(subs, userID)
		} else {
			subs[userID] = l
		}
		seen[userID] = true
	}
	return subs, rows.Err()
}

// liveSubsQuery reads the live subscriptions of userIDs, by the index of each user's live
// subscription. On SQLite the users' JSON array is the outer loop of a CROSS JOIN, which fixes
// that order: with "user_id IN (SELECT value FROM json_each(?))" SQLite, which cannot tell how
// long the array is, chose to walk every live subscription (TestBatchReadsUseTheirIndexes).
func liveSubsQuery(postgres bool, userIDs []string) (string, any) {
	if postgres {
		return `SELECT s.user_id, ` + liveSubColumns + `
FROM plan_subscriptions s
WHERE s.user_id = ANY($1) AND s.status IN ` + liveStatusList, userIDs
	}
	list, _ := json.Marshal(userIDs) // strings always encode
	return `SELECT s.user_id, ` + liveSubColumns + `
FROM json_each(?) AS ids CROSS JOIN plan_subscriptions s ON s.user_id = ids.value
WHERE s.status IN ` + liveStatusList, string(list)
}

// readCounters reads (and on PostgreSQL locks, in the order takes, renewals and flushes lock
// them: by user, then metric) the counters of the batch's subscriptions in their current period.
func (b *usageBatch) readCounters(ctx context.Context, c *ent.Client) (map[counterKey]*batchCounter, error) {
	counters := map[counterKey]*batchCounter{}
	bySub := make(map[string]*liveSub, len(b.subs))
	ids := make([]string, 0, len(b.subs))
	for _, l := range b.subs {
		bySub[l.ID] = l
		ids = append(ids, l.ID)
	}
	if len(ids) == 0 {
		return counters, nil
	}
	q, list := countersQuery(b.s.postgres, ids)
	rows, err := c.QueryContext(ctx, q, list, b.now)
	if err != nil {
		return nil, fmt.Errorf("reading usage counters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			userID, subID, m string
			start            time.Time
			bc               batchCounter
		)
		if err := rows.Scan(&bc.id, &userID, &subID, &m, &start, &bc.used, &bc.reserved, &bc.alerted[0], &bc.alerted[1]); err != nil {
			return nil, fmt.Errorf("reading usage counter: %w", err)
		}
		l := bySub[subID]
		cur, end, ok := l.period(b.now)
		if !ok || !cur.Equal(start.UTC()) {
			continue // a counter of another period (the anchor moved): not the one reports add to
		}
		bc.userID, bc.start, bc.end = userID, cur, end
		counters[counterKey{subID: subID, metric: metric.Metric(m), start: cur.UnixNano()}] = &bc
	}
	return counters, rows.Err()
}

// countersQuery reads the counters of subIDs whose period ends after its second parameter; on
// PostgreSQL it locks them, by user, then metric.
func countersQuery(postgres bool, subIDs []string) (string, any) {
	const columns = `c.id, c.user_id, c.subscription_id, c.metric, c.period_start, c.used, c.reserved, c.alerted_80, c.alerted_100`
	if postgres {
		var q strings.Builder
		q.WriteString(`SELECT ` + columns + ` FROM usage_counters c WHERE c.subscription_id = ANY($1) AND c.period_end > $2
ORDER BY c.user_id, CASE c.metric`)
		for i, m := range metric.All {
			fmt.Fprintf(&q, " WHEN '%s' THEN %d", m, i)
		}
		q.WriteString(` END, c.period_start FOR UPDATE`)
		return q.String(), subIDs
	}
	// The subscriptions' JSON array leads, as in liveSubsQuery.
	list, _ := json.Marshal(subIDs) // strings always encode
	return `SELECT ` + columns + ` FROM json_each(?) AS ids CROSS JOIN usage_counters c ON c.subscription_id = ids.value WHERE c.period_end > ?`, string(list)
}

// deferredSub returns the live subscription of userID when ctx's report can be left to the
// batch's FinishBatch.
func deferredSub(ctx context.Context, userID string) (*usageBatch, *liveSub, bool) {
	b, ok := db.Prefetched(ctx).(*usageBatch)
	if !ok || b.counters == nil || !db.Deferring(ctx) {
		return nil, nil, false
	}
	l, ok := b.subs[userID]
	return b, l, ok
}

// counter returns the batch's counter of (sub, m) in the period [start, end), zero when the
// database has none yet.
func (b *usageBatch) counter(l *liveSub, userID string, m metric.Metric, start, end time.Time) *batchCounter {
	k := counterKey{subID: l.ID, metric: m, start: start.UnixNano()}
	bc := b.counters[k]
	if bc == nil {
		bc = &batchCounter{userID: userID, start: start, end: end}
		b.counters[k] = bc
	}
	return bc
}

// recordDeferred is record for a report of a deferring batch whose user has a live subscription:
// the quota is decided against the batch's counter, and the event and the counter change are
// left to FinishBatch. A refusal fails the report, which has the batch run again with a savepoint
// per report, where record decides it again against the database (after freeing the counter's
// expired reservations, which only that path does).
func (s *Service) recordDeferred(ctx context.Context, b *usageBatch, sub *liveSub, in RecordInput, meta []byte, hash string) (RecordResult, error) {
	now := b.now
	var (
		subID *string
		bc    *batchCounter
	)
	check := unlimitedCheck(in.Metric, 0, 0, 0, nil, nil)
	planID := "" // a subscription that has run out no longer counts, as in record
	if start, end, ok := sub.period(now); ok {
		subID, planID = &sub.ID, sub.PlanID
		limit, limited := sub.limit(in.Metric)
		bc = b.counter(sub, in.UserID, in.Metric, start, end)
		// used and reserved are each at most metric.MaxTotal, and so is the amount: no overflow.
		total := bc.used + bc.reserved + in.Amount
		switch {
		case limited && in.Enforce && limit <= metric.MaxTotal && total > limit:
			return RecordResult{}, quotaExceededError(in.Metric, limit, bc.used, bc.reserved, in.Amount, end)
		case total > metric.MaxTotal:
			return RecordResult{}, counterFull(in.Metric, in.Amount)
		}
		bc.used += in.Amount
		bc.added += in.Amount
		check = makeCheck(in.Metric, 0, bc.used, bc.reserved, limit, limited, start, end)
	}
	ev := newUsageEvent(in, subID, hash, now)
	b.events = append(b.events, eventRow{id: ev.ID, at: now, userID: in.UserID, subID: subID, metric: in.Metric, amount: in.Amount,
		key: in.IdempotencyKey, hash: hash, modelID: in.ModelID, chatID: in.ChatID, meta: meta})
	b.days.add(now, in.Metric, planID, in.Amount)
	s.announce(ctx, in.UserID, subID, in.Amount, check, bc.claimAlert) // no alert without a subscription: bc is then unused
	return RecordResult{Event: ev, Quota: check}, nil
}

// claimAlert marks the alert of alertThresholds[i] on the counter and reports whether this is
// the first usage of the period to reach it (announce's mark; FinishBatch writes the mark).
func (bc *batchCounter) claimAlert(i int) bool {
	if bc.alerted[i] {
		return false
	}
	bc.alerted[i], bc.alertsChanged = true, true
	return true
}

// FinishBatch writes what the batch's deferred reports left: their events, counters and
// analytics rollups (see usageBatch for how on each database).
func (b *usageBatch) FinishBatch(ctx context.Context, c *ent.Client) error {
	if len(b.events) == 0 {
		return nil
	}
	if b.s.postgres {
		return b.finishAtOnce(ctx, c)
	}
	inserted, err := b.s.insertEvents(ctx, c, b.events, " ON CONFLICT (idempotency_key) DO NOTHING")
	if err != nil {
		return err
	}
	if inserted != int64(len(b.events)) {
		return db.ErrRunAgainUndeferred // an idempotency key was used before: its report is a replay
	}
	if err := b.writeCountersAlone(ctx, c, b.changedCounters()); err != nil {
		return err
	}
	return b.s.writeDailySums(ctx, c, b.days)
}

// changedCounters returns the keys of the counters the batch's reports changed, in one order.
func (b *usageBatch) changedCounters() []counterKey {
	var keys []counterKey
	for k, bc := range b.counters {
		if bc.added != 0 || bc.alertsChanged {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y counterKey) int {
		return strings.Compare(x.subID+"\x00"+string(x.metric), y.subID+"\x00"+string(y.metric))
	})
	return keys
}

// finishAtOnce is FinishBatch on PostgreSQL: the events, the counters and the rollups in one
// statement (data-modifying CTEs), one round trip, which answers how many events went in and what
// every counter holds now.
func (b *usageBatch) finishAtOnce(ctx context.Context, c *ent.Client) error {
	var a pgArgs
	q := "WITH ev AS (" + eventsFromArrays(&a, b.events) + " ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1)"
	keys := b.changedCounters()
	if len(keys) > 0 {
		q += ",\nc AS (" + b.countersFromArrays(&a, keys) + ")"
	}
	if days := b.days.keys(); len(days) > 0 {
		q += ",\nd AS (" + dailySumsFromArrays(&a, b.days, days, db.Worker(ctx)) + ")"
	}
	if len(keys) > 0 {
		q += "\nSELECT (SELECT count(*) FROM ev), c.subscription_id, c.metric, c.period_start, c.used, c.reserved FROM (SELECT 1) AS one LEFT JOIN c ON true"
	} else {
		q += "\nSELECT count(*), NULL, NULL, NULL::timestamptz, NULL::bigint, NULL::bigint FROM ev"
	}
	rows, err := c.QueryContext(ctx, q, a...)
	if err != nil {
		return fmt.Errorf("recording usage: %w", err)
	}
	defer rows.Close()
	var inserted int64
	matched := 0
	for rows.Next() {
		var (
			subID, m       sql.NullString
			start          sql.NullTime
			used, reserved sql.NullInt64
		)
		if err := rows.Scan(&inserted, &subID, &m, &start, &used, &reserved); err != nil {
			return fmt.Errorf("recording usage: %w", err)
		}
		if !subID.Valid {
			continue
		}
		bc := b.counters[counterKey{subID: subID.String, metric: metric.Metric(m.String), start: start.Time.UnixNano()}]
		if bc == nil || bc.used != used.Int64 || bc.reserved != reserved.Int64 {
			return db.ErrRunAgainUndeferred // the counter moved since the batch read it
		}
		matched++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("recording usage: %w", err)
	}
	if inserted != int64(len(b.events)) || matched != len(keys) {
		return db.ErrRunAgainUndeferred // an idempotency key was used before (its report is a replay), or a counter is amiss
	}
	return nil
}

// writeCountersAlone writes the counters of keys on SQLite, where the batch is the only writer,
// so the counters it read are the database's and need no check: an update by row id for each counter
// that was there, an insert for each that was not, each one prepared statement. An upsert of
// them all took twice the time (it tries an insert first, which takes a row id, for each).
func (b *usageBatch) writeCountersAlone(ctx context.Context, c *ent.Client, keys []counterKey) error {
	for _, k := range keys {
		bc := b.counters[k]
		var (
			res sql.Result
			err error
		)
		if bc.id != 0 {
			res, err = c.ExecContext(ctx, `UPDATE usage_counters SET used = used + ?, alerted_80 = ?, alerted_100 = ?, updated_at = ? WHERE id = ?`,
				bc.added, bc.alerted[0], bc.alerted[1], b.now, bc.id)
		} else {
			res, err = c.ExecContext(ctx, counterInsert+` VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
				k.subID, bc.userID, string(k.metric), bc.start, bc.end, bc.added, bc.alerted[0], bc.alerted[1], b.now)
		}
		if err != nil {
			return fmt.Errorf("updating usage counters: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return db.ErrRunAgainUndeferred
		}
	}
	return nil
}

// countersFromArrays is the upsert that adds what the batch's reports used to the counters of
// keys, creating those the database did not have, and returns what each holds now (a statement of
// arrays, for finishAtOnce).
func (b *usageBatch) countersFromArrays(a *pgArgs, keys []counterKey) string {
	subs, users, metrics := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
	starts, ends := make([]time.Time, len(keys)), make([]time.Time, len(keys))
	added, a80, a100 := make([]int64, len(keys)), make([]bool, len(keys)), make([]bool, len(keys))
	for i, k := range keys {
		bc := b.counters[k]
		subs[i], users[i], metrics[i], starts[i], ends[i] = k.subID, bc.userID, string(k.metric), bc.start, bc.end
		added[i], a80[i], a100[i] = bc.added, bc.alerted[0], bc.alerted[1]
	}
	return counterInsert + `
SELECT sub, u, m, st, en, a, 0, a80, a100, ` + a.next(b.now, "timestamptz") + `
FROM unnest(` + a.list(subs, "text[]", users, "text[]", metrics, "text[]", starts, "timestamptz[]", ends, "timestamptz[]",
		added, "bigint[]", a80, "bool[]", a100, "bool[]") + `) AS t(sub, u, m, st, en, a, a80, a100)
` + counterOnConflict + `, alerted_80 = usage_counters.alerted_80 OR excluded.alerted_80, alerted_100 = usage_counters.alerted_100 OR excluded.alerted_100
RETURNING subscription_id, metric, period_start, used, reserved`
}

// pgArgs are the parameters of a PostgreSQL statement put together from parts, each part
// numbering its placeholders after those before it.
type pgArgs []any

// next adds v and returns its placeholder, cast to typ.
func (a *pgArgs) next(v any, typ string) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a)) + "::" + typ
}

// list adds values and types given in pairs and returns their placeholders, comma-separated.
func (a *pgArgs) list(pairs ...any) string {
	var out strings.Builder
	for i := 0; i < len(pairs); i += 2 {
		if i > 0 {
			out.WriteString(", ")
		}
		out.WriteString(a.next(pairs[i], pairs[i+1].(string)))
	}
	return out.String()
}

// eventRow is a usage event to insert with insertEvents.
type eventRow struct {
	id, userID      string
	at              time.Time
	subID           *string
	metric          metric.Metric
	amount          int64
	key             *string
	hash            string
	modelID, chatID *string
	meta            []byte
}

// insertEvents inserts usage events and returns how many went in; suffix ends each statement
// (an ON CONFLICT clause). The statements' text does not depend on how many events there are,
// so that the drivers' prepared statements serve every batch: on PostgreSQL one statement of
// arrays, on SQLite (no arrays, no round trips) a statement per power of two of rows.
func (s *Service) insertEvents(ctx context.Context, c *ent.Client, events []eventRow, suffix string) (int64, error) {
	if s.postgres {
		return s.insertEventArrays(ctx, c, events, suffix)
	}
	const row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	var inserted int64
	for len(events) > 0 {
		n := powerOfTwoAtMost(min(len(events), eventsPerInsert))
		args := make([]any, 0, eventColumns*n)
		for _, e := range events[:n] {
			args = append(args, e.id, e.at, e.userID, nullString(e.subID), string(e.metric), e.amount,
				nullString(e.key), e.hash, nullString(e.modelID), nullString(e.chatID), nullBytes(e.meta))
		}
		res, err := c.ExecContext(ctx, insertEventsPrefix+strings.Repeat(row+", ", n-1)+row+suffix, args...)
		if err != nil {
			return 0, fmt.Errorf("recording usage events: %w", err)
		}
		affected, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("recording usage events: %w", err)
		}
		inserted += affected
		events = events[n:]
	}
	return inserted, nil
}

// insertEventArrays is insertEvents on PostgreSQL: one statement that unnests a column array
// each.
func (s *Service) insertEventArrays(ctx context.Context, c *ent.Client, events []eventRow, suffix string) (int64, error) {
	if len(events) == 0 {
		return 0, nil
	}
	var a pgArgs
	res, err := c.ExecContext(ctx, eventsFromArrays(&a, events)+suffix, a...)
	if err != nil {
		return 0, fmt.Errorf("recording usage events: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("recording usage events: %w", err)
	}
	return n, nil
}

// eventsFromArrays is the insert of events from a PostgreSQL array per column.
func eventsFromArrays(a *pgArgs, events []eventRow) string {
	var (
		ids, users, metrics, hashes      = make([]string, len(events)), make([]string, len(events)), make([]string, len(events)), make([]string, len(events))
		subs, keys, models, chats, metas = make([]*string, len(events)), make([]*string, len(events)), make([]*string, len(events)), make([]*string, len(events)), make([]*string, len(events))
		ats                              = make([]time.Time, len(events))
		amounts                          = make([]int64, len(events))
	)
	for i, e := range events {
		ids[i], ats[i], users[i], subs[i], metrics[i], amounts[i] = e.id, e.at, e.userID, e.subID, string(e.metric), e.amount
		keys[i], hashes[i], models[i], chats[i] = e.key, e.hash, e.modelID, e.chatID
		if e.meta != nil {
			m := string(e.meta)
			metas[i] = &m
		}
	}
	return insertEventsPrefix[:len(insertEventsPrefix)-len("VALUES ")] + `SELECT id, at, u, sub, m, amount, k, h, model, chat, meta::jsonb
FROM unnest(` + a.list(ids, "text[]", ats, "timestamptz[]", users, "text[]", subs, "text[]", metrics, "text[]", amounts, "bigint[]",
		keys, "text[]", hashes, "text[]", models, "text[]", chats, "text[]", metas, "text[]") + `)
AS t(id, at, u, sub, m, amount, k, h, model, chat, meta)`
}

// powerOfTwoAtMost returns the largest power of two not above n (n at least 1).
func powerOfTwoAtMost(n int) int {
	p := 1
	for p*2 <= n {
		p *= 2
	}
	return p
}
