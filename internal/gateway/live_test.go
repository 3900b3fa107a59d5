package gateway_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
	st "github.com/steward-dev/steward/internal/servertest"
)

// A gateway call reaches live subscribers as any usage report does: one usageUpdated per metric.
func TestGatewayUsageIsLive(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.plan(t, w.user.ID, roomy)
		ws, ack, err := w.s.DialWS(t, st.ProtoTransportWS, map[string]any{"token": w.user.Token}, nil)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		defer ws.Close()
		ws.Subscribe(t, "1", `subscription { usageUpdated { userId metric amount used reserved } }`, nil)
		time.Sleep(200 * time.Millisecond) // as the other live tests: let the subscription register

		resp := w.post(t, "/v1/chat/completions", w.userKey, chat(true))
		if readAll(resp); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		want := map[string]float64{"TOKENS_INPUT": fakeupstream.PromptTokens, "TOKENS_OUTPUT": fakeupstream.CompletionTokens, "REQUESTS": 1}
		for len(want) > 0 {
			m, err := ws.Next(10 * time.Second)
			if err != nil {
				t.Fatalf("waiting for usageUpdated (still want %v): %v", want, err)
			}
			var p struct {
				Data struct {
					UsageUpdated struct {
						UserID, Metric         string
						Amount, Used, Reserved float64
					}
				}
			}
			if err := json.Unmarshal(m.Payload, &p); err != nil || m.Type != "next" {
				t.Fatalf("got %s %s", m.Type, m.Payload)
			}
			u := p.Data.UsageUpdated
			// Reserved is the unused rest of the call's budget lease (billing.Leases) until the
			// lease is given back, which wantQuota waits for below.
			if v, ok := want[u.Metric]; !ok || u.UserID != w.user.ID || u.Amount != v || u.Used != v || u.Reserved < 0 {
				t.Fatalf("update %+v, want the settled %s of %v for the caller", u, u.Metric, v)
			}
			delete(want, u.Metric)
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1, "TOKENS_INPUT": fakeupstream.PromptTokens, "TOKENS_OUTPUT": fakeupstream.CompletionTokens})
	})
}
