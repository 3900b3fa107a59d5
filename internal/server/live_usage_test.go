package server_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const usageSub = `subscription($u: ID) { usageUpdated(userId: $u) { userId user { name } metric amount used limit remaining periodStart periodEnd } }`
const alertSub = `subscription($u: ID) { quotaAlert(userId: $u) { userId user { email } metric threshold used limit } }`

// nextData reads the next result of a subscription and returns its data, failing on errors.
func nextData(t *testing.T, ws *st.WS) map[string]any {
	t.Helper()
	m, err := ws.Next(5 * time.Second)
	if err != nil {
		t.Fatalf("waiting for an event: %v", err)
	}
	var p struct {
		Data   map[string]any `json:"data"`
		Errors []any          `json:"errors"`
	}
	if m.Type != "next" || json.Unmarshal(m.Payload, &p) != nil || len(p.Errors) > 0 {
		t.Fatalf("got %s %s, want next with data", m.Type, m.Payload)
	}
	return p.Data
}

func TestLiveUsageAndQuotaAlerts(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		plan := w.createPlan(t, map[string]any{"quotas": []map[string]any{{"metric": "REQUESTS", "limit": 10}}})
		w.assign(t, w.bob.ID, plan)

		dial := func(token, query string, vars map[string]any) *st.WS {
			ws, ack, err := w.s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": token}, nil)
			if err != nil || ack.Type != "connection_ack" {
				t.Fatalf("init: %+v, %v", ack, err)
			}
			ws.Subscribe(t, "1", query, vars)
			return ws
		}
		own := dial(w.bob.Token, usageSub, nil)
		everyone := dial(w.admin.Token, usageSub, nil)
		alerts := dial(w.bob.Token, alertSub, nil)
		time.Sleep(200 * time.Millisecond)

		record := func(amount int) {
			t.Helper()
			r := w.record(t, w.admin.Token, map[string]any{"userId": w.bob.ID, "metric": "REQUESTS", "amount": amount})
			if len(r.Errors) > 0 {
				t.Fatalf("recordUsage: %s", r.Raw)
			}
		}
		record(3)
		for name, ws := range map[string]*st.WS{"own": own, "admin, everyone": everyone} {
			d := nextData(t, ws)
			if st.Get(d, "usageUpdated.userId") != w.bob.ID || st.Get(d, "usageUpdated.user.name") != "Bob" || num(st.Get(d, "usageUpdated.used")) != 3 ||
				num(st.Get(d, "usageUpdated.remaining")) != 7 || st.Get(d, "usageUpdated.periodEnd") == nil {
				t.Fatalf("%s: update = %v", name, d)
			}
		}

		// 3 -> 8 crosses 80%; 8 -> 9 crosses nothing new; 9 -> 10 crosses 100%; 10 -> 11 (unenforced) nothing new.
		record(5)
		d := nextData(t, alerts)
		if num(st.Get(d, "quotaAlert.threshold")) != 80 || num(st.Get(d, "quotaAlert.used")) != 8 || st.Get(d, "quotaAlert.user.email") == nil {
			t.Fatalf("first alert = %v, want 80%% at 8", d)
		}
		record(1)
		record(1)
		d = nextData(t, alerts)
		if num(st.Get(d, "quotaAlert.threshold")) != 100 || num(st.Get(d, "quotaAlert.limit")) != 10 {
			t.Fatalf("second alert = %v, want 100%%", d)
		}
		record(1)
		if m, err := alerts.Next(500 * time.Millisecond); err == nil {
			t.Fatalf("an alert repeated within the period: %s %s", m.Type, m.Payload)
		}
	})
}

func TestLiveUsageAuthorization(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newBillingWorld(t, b)
		ws, ack, err := w.s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": w.bob.Token}, nil)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		ws.Subscribe(t, "1", usageSub, map[string]any{"u": w.admin.ID})
		m, err := ws.Next(5 * time.Second)
		if err != nil || !strings.Contains(string(m.Payload), `"code":"FORBIDDEN"`) {
			t.Fatalf("watching another user's usage: %s %s (%v), want FORBIDDEN", m.Type, m.Payload, err)
		}
	})
}
