package gateway_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
	st "github.com/steward-dev/steward/internal/servertest"
)

const setConnections = `mutation($in: ConnectionsConfigInput!) { updateConnectionsConfig(input: $in) {
	openai { id url keySet enabled modelIds timeoutSeconds } } }`

func TestConnectionsConfigDrivesTheUpstreamsAndKeepsKeysWriteOnly(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.plan(t, w.user.ID, roomy)
		slow := fakeupstream.New()
		t.Cleanup(slow.Close)
		slow.Set(fakeupstream.Behaviour{HeaderDelay: 5 * time.Second})
		other := fakeupstream.New()
		t.Cleanup(other.Close)

		// The slow upstream times out after a second and the call fails over to the next; a
		// connection limited to other models is skipped.
		d := w.s.MustQuery(t, w.admin.Token, setConnections, "in", map[string]any{"openai": []any{
			map[string]any{"id": "only-llama", "url": other.BaseURL(), "modelIds": []any{"llama3"}},
			map[string]any{"id": "slow", "url": slow.BaseURL(), "key": "sk-slow-secret", "timeoutSeconds": 1},
			map[string]any{"id": "main", "url": w.up.BaseURL(), "key": "sk-main-secret"},
		}})
		if got := st.Get(d, "updateConnectionsConfig.openai.1"); got.(map[string]any)["keySet"] != true || got.(map[string]any)["timeoutSeconds"] != float64(1) {
			t.Fatalf("stored connection %v", got)
		}
		resp := w.post(t, "/v1/chat/completions", w.userKey, chat(false))
		if raw := readAll(resp); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d %s", resp.StatusCode, raw)
		}
		if slow.Count() != 1 || other.Count() != 0 || w.up.Count() != 1 {
			t.Errorf("calls: slow %d, other %d, main %d; want 1, 0, 1", slow.Count(), other.Count(), w.up.Count())
		}
		if got := w.up.Calls()[0].Authorization; got != "Bearer sk-main-secret" {
			t.Errorf("main upstream got %q, want its configured key", got)
		}

		// Keys never come back, and an edit without a key keeps the stored one.
		r := w.s.Query(t, w.admin.Token, `{ config { connections { openai { id keySet } } } exportConfig }`)
		if strings.Contains(r.Raw, "sk-main-secret") || strings.Contains(r.Raw, "sk-slow-secret") || len(r.Errors) > 0 {
			t.Fatalf("config shows a key or fails: %s", r.Raw)
		}
		w.s.MustQuery(t, w.admin.Token, setConnections, "in", map[string]any{"openai": []any{
			map[string]any{"id": "main", "url": w.up.BaseURL()},
		}})
		resp = w.post(t, "/v1/chat/completions", w.userKey, chat(false))
		readAll(resp)
		if calls := w.up.Calls(); resp.StatusCode != http.StatusOK || calls[len(calls)-1].Authorization != "Bearer sk-main-secret" {
			t.Errorf("status %d; after an edit without a key the upstream got %q", resp.StatusCode, calls[len(calls)-1].Authorization)
		}

		// A bad URL is refused with its field.
		r = w.s.Query(t, w.admin.Token, setConnections, "in", map[string]any{"openai": []any{map[string]any{"url": "ftp://x"}}})
		if r.Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "openai.0.url" {
			t.Errorf("bad URL: %s", r.Raw)
		}

		// No connection serves the model: the administrator is told, the hold released.
		w.s.MustQuery(t, w.admin.Token, setConnections, "in", map[string]any{"openai": []any{}})
		wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false)), http.StatusServiceUnavailable, "api_error", "service_unavailable")
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 2})
	})
}

func TestAStalledUpstreamStreamIsGivenUpAfterItsTimeout(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, nil)
	w.plan(t, w.user.ID, roomy)
	w.s.MustQuery(t, w.admin.Token, setConnections, "in", map[string]any{"openai": []any{
		map[string]any{"id": "main", "url": w.up.BaseURL(), "timeoutSeconds": 1},
	}})
	w.up.Set(fakeupstream.Behaviour{Chunks: []string{"first words", " never sent"}, HoldAfter: 1})
	resp := w.post(t, "/v1/chat/completions", w.userKey, chat(true))
	evs := events(t, resp.Body) // returns once the gateway gives up on the silent upstream
	resp.Body.Close()
	if len(evs) != 1 || !strings.Contains(evs[0], "first words") {
		t.Fatalf("events %v, want the one chunk sent", evs)
	}
	deadline := time.Now().Add(10 * time.Second)
	for w.up.Cancelled() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the stalled upstream call was not cancelled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1, "TOKENS_OUTPUT": 2})
}

func TestServerTimingShowsTheStepsOnlyWhenTurnedOn(t *testing.T) {
	steps := []string{"start;desc=", "auth;dur=", "route;dur=", "hold;dur=", "upconn;dur=", "upfirstbyte;dur=", `conn;desc="`}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"off by default", nil, false},
		{"on", map[string]string{"STEWARD_GATEWAY_SERVER_TIMING": "true"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, dbtest.SQLite, tc.env)
			w.plan(t, w.user.ID, roomy)
			for _, stream := range []bool{false, true} {
				resp := w.post(t, "/v1/chat/completions", w.userKey, chat(stream))
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				got := resp.Header.Get("Server-Timing")
				if !tc.want {
					if got != "" {
						t.Errorf("stream=%t: Server-Timing %q, want none (it shows internals)", stream, got)
					}
					continue
				}
				for _, s := range steps {
					if !strings.Contains(got, s) {
						t.Errorf("stream=%t: Server-Timing %q lacks %q", stream, got, s)
					}
				}
			}
		})
	}
}
