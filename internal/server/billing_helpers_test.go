package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/steward-dev/steward/ent/auditlog"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const planFields = `id name description price currency interval isActive displayOrder features metadata
	quotas { metric limit } translations { locale name description }`

const createPlanMutation = `mutation($in: CreatePlanInput!) { createPlan(input: $in) { ` + planFields + ` } }`

const recordMutation = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) {
	replayed event { id amount metric subscriptionID } quota { used reserved limit remaining allowed } } }`

const checkQuery = `query($u: ID!, $m: UsageMetric!, $a: Int!) { checkQuota(userId: $u, metric: $m, amount: $a) {
	allowed used reserved limit remaining percentage resetsAt } }`

// billingWorld is a server with an admin and an approved user.
type billingWorld struct {
	s     *st.Server
	admin st.Account
	bob   st.Account
}

func newBillingWorld(t *testing.T, b dbtest.Backend, opts ...st.Option) billingWorld {
	t.Helper()
	s := st.New(t, b, opts...)
	admin := s.Signup(t, "Ada")
	bob := s.Signup(t, "Bob")
	s.SetRole(t, bob.ID, "USER")
	return billingWorld{s: s, admin: admin, bob: bob}
}

// createPlan creates a plan with the given fields over sensible defaults and returns its id.
func (w billingWorld) createPlan(t *testing.T, fields map[string]any) string {
	t.Helper()
	in := map[string]any{"name": "Pro", "price": "10.00", "currency": "USD"}
	for k, v := range fields {
		in[k] = v
	}
	d := w.s.MustQuery(t, w.admin.Token, createPlanMutation, "in", in)
	return st.Get(d, "createPlan.id").(string)
}

func (w billingWorld) assign(t *testing.T, userID, planID string) string {
	t.Helper()
	d := w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p) { id status } }`, "u", userID, "p", planID)
	return st.Get(d, "assignPlan.id").(string)
}

func (w billingWorld) record(t *testing.T, token string, in map[string]any) *st.Response {
	t.Helper()
	return w.s.Query(t, token, recordMutation, "in", in)
}

// auditCount counts audit entries of an action (read straight from the database: the audit query
// API belongs to another package).
func auditCount(t *testing.T, s *st.Server, action string) int {
	t.Helper()
	n, err := s.App.DB.Client.AuditLog.Query().Where(auditlog.Action(action)).Count(authz.AsOperator(context.Background()))
	if err != nil {
		t.Fatalf("counting audit entries: %v", err)
	}
	return n
}

func wantField(t *testing.T, r *st.Response, code, field string) {
	t.Helper()
	wantCode(t, r, code)
	if field == "" {
		return
	}
	if got := r.Errors[0].Extensions["field"]; got != field {
		t.Fatalf("extensions.field = %v, want %s; response: %s", got, field, r.Raw)
	}
}

func num(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case nil:
		return -1
	}
	panic(fmt.Sprintf("not a number: %T %v", v, v))
}
