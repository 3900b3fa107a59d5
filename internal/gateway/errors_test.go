package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
	st "github.com/steward-dev/steward/internal/servertest"
)

func TestBadCallsGetOpenAIErrorsAndChangeNothing(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, nil)
	w.plan(t, w.user.ID, roomy)
	pending := w.s.Signup(t, "Pat")
	cases := []struct {
		name         string
		path, key    string
		body         any
		status       int
		typ, code    string
		wantInAnswer string
	}{
		{name: "no key", path: "/v1/chat/completions", body: chat(false), status: 401, typ: "invalid_request_error", code: "invalid_api_key"},
		{name: "unknown key", path: "/v1/chat/completions", key: "sk-" + strings.Repeat("0", 48), body: chat(false), status: 401, typ: "invalid_request_error", code: "invalid_api_key"},
		{name: "pending account", path: "/v1/chat/completions", key: pending.Token, body: chat(false), status: 403, typ: "invalid_request_error", code: "permission_denied"},
		{name: "not JSON", path: "/v1/chat/completions", key: w.userKey, body: "nope", status: 400, typ: "invalid_request_error"},
		{name: "no model", path: "/v1/chat/completions", key: w.userKey, body: map[string]any{"messages": []any{}}, status: 400, typ: "invalid_request_error", wantInAnswer: `"param":"model"`},
		{name: "no messages", path: "/v1/chat/completions", key: w.userKey, body: map[string]any{"model": "gpt-test"}, status: 400, typ: "invalid_request_error", wantInAnswer: `"param":"messages"`},
		{name: "bad max_tokens", path: "/v1/chat/completions", key: w.userKey, body: chat(false, "max_tokens", -1), status: 400, typ: "invalid_request_error", wantInAnswer: `"param":"max_tokens"`},
		{name: "streamed embeddings", path: "/v1/embeddings", key: w.userKey, body: map[string]any{"model": "gpt-test", "input": "x", "stream": true}, status: 400, typ: "invalid_request_error"},
		{name: "unknown path", path: "/v1/images/generations", key: w.userKey, body: map[string]any{}, status: 404, typ: "invalid_request_error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := wantError(t, w.post(t, c.path, c.key, c.body), c.status, c.typ, c.code)
			if raw := mustJSON(v); c.wantInAnswer != "" && !strings.Contains(raw, c.wantInAnswer) {
				t.Errorf("answer %s lacks %s", raw, c.wantInAnswer)
			}
		})
	}
	if got := w.up.Count(); got != 0 {
		t.Errorf("upstream got %d calls, want none", got)
	}
	w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 0, "TOKENS_INPUT": 0, "TOKENS_OUTPUT": 0})
}

func TestFailoverToTheNextUpstream(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		failing := fakeupstream.New()
		t.Cleanup(failing.Close)
		failing.Set(fakeupstream.Behaviour{Status: http.StatusServiceUnavailable})
		// A refused connection, then a 503, then the working upstream.
		w := newWorld(t, b, map[string]string{"OPENAI_API_BASE_URLS": "http://127.0.0.1:1/v1;" + failing.BaseURL() + ";{fake}",
			"OPENAI_API_KEYS": "k1;k2;" + upstreamKey})
		w.plan(t, w.user.ID, roomy)
		for _, stream := range []bool{false, true} {
			resp := w.post(t, "/v1/chat/completions", w.userKey, chat(stream))
			raw := readAll(resp)
			if resp.StatusCode != http.StatusOK || !strings.Contains(raw, "Hello") {
				t.Fatalf("stream=%v: status %d %s, want the working upstream's answer", stream, resp.StatusCode, raw)
			}
		}
		if failing.Count() != 2 || w.up.Count() != 2 {
			t.Errorf("calls: failing %d, working %d; want 2 each", failing.Count(), w.up.Count())
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 2, "TOKENS_OUTPUT": 2 * fakeupstream.CompletionTokens})

		// When every upstream fails, the client gets 502 and the hold is released.
		w.up.Set(fakeupstream.Behaviour{Status: http.StatusInternalServerError})
		wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(true)), http.StatusBadGateway, "api_error", "upstream_error")
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 2, "TOKENS_OUTPUT": 2 * fakeupstream.CompletionTokens})
	})
}

func TestUpstreamRefusalsReachTheClientAndReleaseTheHold(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, nil)
	w.plan(t, w.user.ID, roomy)
	// The upstream's own client error (here its rate limit) reaches the client as it is.
	w.up.Set(fakeupstream.Behaviour{Status: http.StatusTooManyRequests})
	resp := w.post(t, "/v1/chat/completions", w.userKey, chat(false))
	if raw := readAll(resp); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(raw, "fake failure 429") {
		t.Errorf("status %d %s, want the upstream's 429", resp.StatusCode, raw)
	}
	// A refusal of steward's own credentials is the administrator's problem: 502, no detail.
	w.up.Set(fakeupstream.Behaviour{Status: http.StatusUnauthorized})
	v := wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false)), http.StatusBadGateway, "api_error", "upstream_error")
	if raw := mustJSON(v); strings.Contains(raw, "fake failure") || strings.Contains(raw, upstreamKey) || strings.Contains(raw, "127.0.0.1") {
		t.Errorf("answer %s shows upstream details", raw)
	}
	w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 0, "TOKENS_INPUT": 0, "TOKENS_OUTPUT": 0})
}

func TestCompletionsAndEmbeddings(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, nil)
	w.plan(t, w.user.ID, roomy)
	resp := w.post(t, "/v1/completions", w.userKey, map[string]any{"model": "gpt-test", "prompt": "Once upon", "max_tokens": 5})
	if v := readJSON(t, resp); st.Get(v, "choices.0.text") != "Hello world!" {
		t.Fatalf("completion %v", v)
	}
	resp = w.post(t, "/v1/completions", w.userKey, map[string]any{"model": "gpt-test", "prompt": "Once upon", "stream": true})
	if evs := events(t, resp.Body); len(evs) != 4 || !strings.Contains(evs[0], `"text":"Hello"`) {
		t.Fatalf("streamed completion %v", evs)
	}
	resp.Body.Close()
	resp = w.post(t, "/v1/embeddings", w.userKey, map[string]any{"model": "gpt-test", "input": []string{"a", "b"}})
	if v := readJSON(t, resp); st.Get(v, "data.0.object") != "embedding" {
		t.Fatalf("embeddings %v", v)
	}
	// Embeddings have no answer tokens: only the prompt's are recorded.
	w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 3, "TOKENS_INPUT": 3 * fakeupstream.PromptTokens, "TOKENS_OUTPUT": 2 * fakeupstream.CompletionTokens})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
