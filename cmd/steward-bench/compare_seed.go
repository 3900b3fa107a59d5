package main

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/ent/plansubscription"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
)

// seedPlans creates plans bench-plan-0..n-1 and puts three users in four on one of them (user k
// on plan k mod n), each subscription created when its user was, so that "newest first" is the
// same order on both sides of compare. It returns the number of subscriptions.
func seedPlans(ctx context.Context, c *ent.Client, plans int) (int, error) {
	sys := authz.As(ctx, authz.Operator)
	if plans <= 0 {
		return 0, nil
	}
	if n, err := c.PlanSubscription.Query().Count(sys); err != nil || n > 0 {
		return n, err
	}
	for i := range plans {
		if err := c.Plan.Create().SetID(fmt.Sprintf("bench-plan-%d", i)).SetName(fmt.Sprintf("Bench plan %d", i)).
			SetDescription("seeded by steward-bench").SetPriceMinor(int64(49000 * (i + 1))).SetCurrency("RUB").
			SetQuotas(map[string]int64{"tokens": 1_000_000 * int64(i+1)}).SetDisplayOrder(i).Exec(sys); err != nil {
			return 0, fmt.Errorf("seeding plans: %w", err)
		}
	}
	users, err := c.User.Query().Where(user.EmailHasPrefix("bench.user.")).Order(ent.Asc(user.FieldCreatedAt)).
		Select(user.FieldID, user.FieldCreatedAt).All(sys)
	if err != nil {
		return 0, err
	}
	const batch = 500
	var creates []*ent.PlanSubscriptionCreate
	total := 0
	flush := func() error {
		if len(creates) == 0 {
			return nil
		}
		err := c.PlanSubscription.CreateBulk(creates...).Exec(sys)
		total += len(creates)
		creates = creates[:0]
		return err
	}
	for k, u := range users {
		if k%4 == 3 {
			continue
		}
		p := k % plans
		start := u.CreatedAt
		creates = append(creates, c.PlanSubscription.Create().SetUserID(u.ID).SetPlanID(fmt.Sprintf("bench-plan-%d", p)).
			SetStatus(plansubscription.StatusACTIVE).SetPeriodAnchor(start).SetCurrentPeriodStart(start).
			SetCurrentPeriodEnd(start.AddDate(0, 1, 0)).SetPriceMinor(int64(49000*(p+1))).SetCurrency("RUB").
			SetCreatedAt(start).SetUpdatedAt(start))
		if len(creates) == batch {
			if err := flush(); err != nil {
				return 0, fmt.Errorf("seeding subscriptions: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return 0, fmt.Errorf("seeding subscriptions: %w", err)
	}
	return total, nil
}

// auditSeedActions are the admin changes the seeded audit log is made of.
var auditSeedActions = []audit.Action{audit.UserUpdated, audit.UserRoleChanged, audit.GroupMembersAdded, audit.ConfigUpdated, audit.ModelUpdated}

// seedAudit appends n entries by actorID to the audit log as a valid hash chain (verifyAuditChain
// still passes), a minute apart and ending now, in batches.
func seedAudit(ctx context.Context, c *ent.Client, actorID string, n int) error {
	sys := authz.As(ctx, authz.Operator)
	last, err := c.AuditLog.Query().Order(ent.Desc(auditlog.FieldSeq)).First(sys)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	var seq int64
	prev := ""
	if last != nil {
		seq, prev = last.Seq, last.Hash
	}
	base := time.Now().UTC().Add(-time.Duration(n) * time.Minute).Truncate(time.Microsecond)
	const batch = 500
	for done := 0; done < n; {
		size := min(batch, n-done)
		creates := make([]*ent.AuditLogCreate, size)
		for i := range creates {
			k := done + i
			seq++
			row := &ent.AuditLog{Seq: seq, ActorID: &actorID, Action: string(auditSeedActions[k%len(auditSeedActions)]),
				EntityType: "user", EntityID: fmt.Sprintf("bench-entity-%05d", k),
				Description: fmt.Sprintf("Bench change %05d", k),
				Changes:     map[string]any{"name": map[string]any{"old": fmt.Sprintf("Old %d", k), "new": fmt.Sprintf("New %d", k)}},
				IP:          "127.0.0.1", UserAgent: "steward-bench", RequestID: fmt.Sprintf("bench-%05d", k),
				PrevHash: prev, CreatedAt: base.Add(time.Duration(k) * time.Minute)}
			row.Hash = audit.Hash(row)
			prev = row.Hash
			creates[i] = c.AuditLog.Create().SetSeq(row.Seq).SetActorID(actorID).SetAction(row.Action).
				SetEntityType(row.EntityType).SetEntityID(row.EntityID).SetDescription(row.Description).
				SetChanges(row.Changes).SetIP(row.IP).SetUserAgent(row.UserAgent).SetRequestID(row.RequestID).
				SetPrevHash(row.PrevHash).SetHash(row.Hash).SetCreatedAt(row.CreatedAt)
		}
		if err := c.AuditLog.CreateBulk(creates...).Exec(sys); err != nil {
			return fmt.Errorf("seeding audit log: %w", err)
		}
		done += size
	}
	return nil
}
