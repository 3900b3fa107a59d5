package gateway_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steward-dev/steward/ent/usageevent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/gateway"
	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
	"github.com/steward-dev/steward/internal/metric"
	st "github.com/steward-dev/steward/internal/servertest"
)

// world is a steward whose connections point at a fake upstream, with an admin, an approved user
// holding an API key, a public model and a plan with generous quotas assigned to the user.
type world struct {
	s        *st.Server
	up       *fakeupstream.Server
	admin    st.Account
	user     st.Account
	userKey  string
	adminKey string
}

const upstreamKey = "sk-upstream-secret-never-shown"

func newWorld(t *testing.T, b dbtest.Backend, env map[string]string) *world {
	t.Helper()
	up := fakeupstream.New()
	t.Cleanup(up.Close)
	// Leases idle briefly, so that the tests see every hold given back soon after the calls.
	e := map[string]string{"OPENAI_API_BASE_URLS": up.BaseURL(), "OPENAI_API_KEYS": upstreamKey, "ENABLE_API_KEYS": "true",
		"STEWARD_GATEWAY_LEASE_IDLE": "200ms"}
	for k, v := range env {
		e[k] = strings.ReplaceAll(v, "{fake}", up.BaseURL())
	}
	s := st.New(t, b, st.WithEnv(e))
	w := &world{s: s, up: up, admin: s.Signup(t, "Ada"), user: s.Signup(t, "Bob")}
	s.SetRole(t, w.user.ID, "USER")
	s.MustQuery(t, w.admin.Token, `mutation { updateDefaultPermissions(permissions: {features: {api_keys: true}}) }`)
	w.userKey = w.key(t, w.user.Token)
	w.adminKey = w.key(t, w.admin.Token)
	w.model(t, map[string]any{"id": "gpt-test", "name": "GPT Test"})
	return w
}

func (w *world) key(t *testing.T, token string) string {
	t.Helper()
	d := w.s.MustQuery(t, token, `mutation { createAPIKey(input: {name: "gateway"}) { key } }`)
	return st.Get(d, "createAPIKey.key").(string)
}

func (w *world) model(t *testing.T, in map[string]any) {
	t.Helper()
	w.s.MustQuery(t, w.admin.Token, `mutation($in: CreateModelInput!) { createModel(input: $in) { id } }`, "in", in)
}

// plan gives userID a plan with these quotas (metric -> limit).
func (w *world) plan(t *testing.T, userID string, quotas map[string]int) {
	t.Helper()
	var qs []any
	for m, l := range quotas {
		qs = append(qs, map[string]any{"metric": m, "limit": l})
	}
	d := w.s.MustQuery(t, w.admin.Token, `mutation($in: CreatePlanInput!) { createPlan(input: $in) { id } }`,
		"in", map[string]any{"name": "Plan " + userID[:8], "price": "1.00", "currency": "USD", "quotas": qs})
	w.s.MustQuery(t, w.admin.Token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p) { id } }`,
		"u", userID, "p", st.Get(d, "createPlan.id"))
}

var roomy = map[string]int{"REQUESTS": 1_000_000, "TOKENS_INPUT": 1_000_000_000, "TOKENS_OUTPUT": 1_000_000_000}

// quota is a metric's used and reserved amounts of userID, as checkQuota reports them.
func (w *world) quota(t *testing.T, userID, metric string) (used, reserved int64) {
	t.Helper()
	d := w.s.MustQuery(t, w.admin.Token, `query($u: ID!, $m: UsageMetric!) { checkQuota(userId: $u, metric: $m, amount: 0) { used reserved } }`,
		"u", userID, "m", metric)
	return int64(st.Get(d, "checkQuota.used").(float64)), int64(st.Get(d, "checkQuota.reserved").(float64))
}

// wantQuota waits for the settlement that runs after the answer, then checks every metric.
func (w *world) wantQuota(t *testing.T, userID string, want map[string]int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok := true
		var got []string
		for m, v := range want {
			used, reserved := w.quota(t, userID, m)
			got = append(got, m+"="+itoa(used)+"/"+itoa(reserved))
			if used != v || reserved != 0 {
				ok = false
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("used/reserved %v, want used %v and nothing reserved", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// post sends a JSON body to a /v1 path with a bearer key and extra headers.
func (w *world) post(t *testing.T, path, key string, body any, headers ...string) *http.Response {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, w.s.URL+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := w.s.HTTP.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	return resp
}

func readJSON(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("answer %q is not JSON: %v", raw, err)
	}
	return v
}

// wantError checks an OpenAI-shaped error.
func wantError(t *testing.T, resp *http.Response, status int, typ, code string) map[string]any {
	t.Helper()
	if resp.StatusCode != status {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d (%s), want %d", resp.StatusCode, raw, status)
	}
	v := readJSON(t, resp)
	if got := st.Get(v, "error.type"); got != typ {
		t.Errorf("error.type = %v, want %s (%v)", got, typ, v)
	}
	if got, _ := st.Get(v, "error.code").(string); got != code {
		t.Errorf("error.code = %v, want %q (%v)", got, code, v)
	}
	if m, _ := st.Get(v, "error.message").(string); m == "" {
		t.Errorf("error.message is empty: %v", v)
	}
	return v
}

func chat(stream bool, extra ...any) map[string]any {
	b := map[string]any{"model": "gpt-test", "stream": stream, "messages": []any{map[string]any{"role": "user", "content": "Say hello to the world"}}}
	for i := 0; i+1 < len(extra); i += 2 {
		b[extra[i].(string)] = extra[i+1]
	}
	return b
}

// events reads a server-sent event stream's data lines.
func events(t *testing.T, r io.Reader) []string {
	t.Helper()
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			out = append(out, d)
		}
	}
	return out
}

func TestChatCompletionSettlesTheUpstreamsUsage(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.plan(t, w.user.ID, roomy)
		resp := w.post(t, "/v1/chat/completions", w.userKey, chat(false, "max_tokens", 100))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		v := readJSON(t, resp)
		if got := st.Get(v, "choices.0.message.content"); got != "Hello world!" {
			t.Errorf("content = %v, want the upstream's answer", got)
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1, "TOKENS_INPUT": fakeupstream.PromptTokens, "TOKENS_OUTPUT": fakeupstream.CompletionTokens})
		calls := w.up.Calls()
		if len(calls) != 1 {
			t.Fatalf("upstream got %d calls, want 1", len(calls))
		}
		if calls[0].Authorization != "Bearer "+upstreamKey {
			t.Errorf("upstream saw Authorization %q, want the connection's key (never the caller's)", calls[0].Authorization)
		}
		if calls[0].Path != "/v1/chat/completions" || calls[0].Body["model"] != "gpt-test" || calls[0].Body["max_tokens"] != float64(100) {
			t.Errorf("upstream got %s %v, want the client's body for gpt-test", calls[0].Path, calls[0].Body)
		}
	})
}

func TestStreamPassesChunksAsTheyArriveAndSettlesReportedUsage(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.plan(t, w.user.ID, roomy)
		gate := make(chan struct{})
		w.up.Set(fakeupstream.Behaviour{Gate: gate})
		resp := w.post(t, "/v1/chat/completions", w.userKey, chat(true))
		defer resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
			t.Fatalf("status %d, content type %q", resp.StatusCode, ct)
		}
		// The upstream holds the rest of the answer until the first chunk has reached the client:
		// a gateway that buffered the answer would never deliver it.
		br := bufio.NewReader(resp.Body)
		first, err := br.ReadString('\n')
		if err != nil || !strings.Contains(first, `"Hello"`) {
			t.Fatalf("first line %q (%v), want the first chunk", first, err)
		}
		close(gate)
		rest := events(t, br)
		if len(rest) == 0 || rest[len(rest)-1] != "[DONE]" {
			t.Fatalf("stream ended with %v, want [DONE]", rest)
		}
		for _, e := range rest {
			if strings.Contains(e, `"prompt_tokens"`) {
				t.Errorf("the client did not ask for usage but got %s", e)
			}
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1, "TOKENS_INPUT": fakeupstream.PromptTokens, "TOKENS_OUTPUT": fakeupstream.CompletionTokens})
		so, _ := w.up.Calls()[0].Body["stream_options"].(map[string]any)
		if so["include_usage"] != true {
			t.Errorf("upstream got stream_options %v, want include_usage", so)
		}
	})
}

func TestStreamKeepsTheUsageChunkTheClientAskedFor(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, nil)
	resp := w.post(t, "/v1/chat/completions", w.userKey, chat(true, "stream_options", map[string]any{"include_usage": true}))
	defer resp.Body.Close()
	evs := events(t, resp.Body)
	if len(evs) < 2 || !strings.Contains(evs[len(evs)-2], `"completion_tokens":23`) {
		t.Fatalf("events %v, want the usage chunk before [DONE]", evs)
	}
}

func TestWithoutReportedUsageTheStreamedTextIsCounted(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.plan(t, w.user.ID, roomy)
		chunks := []string{"The quick brown fox", " jumps over", " the lazy dog."}
		w.up.Set(fakeupstream.Behaviour{Chunks: chunks, NoUsage: true})
		resp := w.post(t, "/v1/chat/completions", w.userKey, chat(true))
		evs := events(t, resp.Body)
		resp.Body.Close()
		if len(evs) != len(chunks)+1 {
			t.Fatalf("events %v, want %d chunks and [DONE]", evs, len(chunks))
		}
		var tk gateway.Tiktoken
		answer := int64(tk.Count("gpt-test", strings.Join(chunks, "")))
		// The prompt as OpenAI counts a chat: 3 tokens of framing per message and 3 for the reply.
		prompt := int64(3 + 3 + tk.Count("gpt-test", "user") + tk.Count("gpt-test", "Say hello to the world"))
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1, "TOKENS_INPUT": prompt, "TOKENS_OUTPUT": answer})
	})
}

func TestClientDisconnectMidStreamCancelsUpstreamAndSettles(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.plan(t, w.user.ID, roomy)
		w.up.Set(fakeupstream.Behaviour{Chunks: []string{"one two three", " four", " five"}, HoldAfter: 1})
		ctx, cancel := context.WithCancel(context.Background())
		raw, _ := json.Marshal(chat(true))
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, w.s.URL+"/v1/chat/completions", bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+w.userKey)
		resp, err := w.s.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(resp.Body).ReadString('\n')
		if !strings.Contains(line, "one two three") {
			t.Fatalf("first line %q", line)
		}
		cancel()
		resp.Body.Close()
		deadline := time.Now().Add(10 * time.Second)
		for w.up.Cancelled() == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the upstream call was not cancelled when the client left")
			}
			time.Sleep(10 * time.Millisecond)
		}
		var tk gateway.Tiktoken
		prompt := int64(3 + 3 + tk.Count("gpt-test", "user") + tk.Count("gpt-test", "Say hello to the world"))
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1, "TOKENS_INPUT": prompt, "TOKENS_OUTPUT": int64(tk.Count("gpt-test", "one two three"))})
	})
}

func TestQuotaOfNRequestsAdmitsExactlyNOf200ConcurrentCalls(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		const n, calls = 7, 200
		w.plan(t, w.user.ID, map[string]int{"REQUESTS": n})
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			status = map[int]int{}
			bad    []string
		)
		for range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := w.post(t, "/v1/chat/completions", w.userKey, chat(false, "max_tokens", 10))
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				mu.Lock()
				defer mu.Unlock()
				status[resp.StatusCode]++
				if resp.StatusCode == http.StatusTooManyRequests &&
					(resp.Header.Get("Retry-After") == "" || !strings.Contains(string(raw), `"code":"insufficient_quota"`)) {
					bad = append(bad, string(raw)+" retry-after="+resp.Header.Get("Retry-After"))
				}
			}()
		}
		wg.Wait()
		if status[http.StatusOK] != n || status[http.StatusTooManyRequests] != calls-n {
			t.Fatalf("statuses %v, want %d OK and %d refused", status, n, calls-n)
		}
		if len(bad) > 0 {
			t.Errorf("refusals without Retry-After or insufficient_quota: %v", bad[0])
		}
		if got := w.up.Count(); got != n {
			t.Errorf("upstream got %d calls, want %d: refused calls must not reach it", got, n)
		}
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": n})
		resp, err := w.s.HTTP.Get(w.s.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		metrics := readAll(resp)
		for _, line := range []string{
			`steward_gateway_calls_total{endpoint="/chat/completions",status="200"} 7`,
			`steward_gateway_calls_total{endpoint="/chat/completions",status="429"} 193`,
		} {
			if !strings.Contains(metrics, line) {
				t.Errorf("/metrics lacks %s", line)
			}
		}
	})
}

func TestModelAccessControlHolds(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.model(t, map[string]any{"id": "secret-model", "name": "Secret", "accessControl": map[string]any{"read": map[string]any{"group_ids": []any{}, "user_ids": []any{}}}})
		w.model(t, map[string]any{"id": "retired", "name": "Retired", "isActive": false})
		req, _ := http.NewRequest(http.MethodGet, w.s.URL+"/v1/models", nil)
		req.Header.Set("Authorization", "Bearer "+w.userKey)
		resp, err := w.s.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		v := readJSON(t, resp)
		data, _ := v["data"].([]any)
		if v["object"] != "list" || len(data) != 1 || st.Get(data[0], "id") != "gpt-test" || st.Get(data[0], "object") != "model" {
			t.Fatalf("models %v, want only gpt-test", v)
		}
		for _, m := range []string{"secret-model", "retired", "no-such-model"} {
			wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false, "model", m)), http.StatusNotFound, "invalid_request_error", "model_not_found")
		}
		if got := w.up.Count(); got != 0 {
			t.Errorf("upstream got %d calls for models the user may not use", got)
		}
		// The admin's key reaches the private model (BYPASS_ADMIN_ACCESS_CONTROL).
		if resp := w.post(t, "/v1/chat/completions", w.adminKey, chat(false, "model", "secret-model")); resp.StatusCode != http.StatusOK {
			t.Errorf("admin status %d, want 200", resp.StatusCode)
		}
	})
}

// The gateway remembers which models a caller may use (models.RouteCache), so every change to
// access must reach the very next call: grants to the user and to a group, memberships, a group
// deleted, a model turned off or made public. Calls between the changes make sure that what is
// remembered is what each change must replace.
func TestAccessChangesReachTheNextCall(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		private := map[string]any{"read": map[string]any{"group_ids": []any{}, "user_ids": []any{}}}
		w.model(t, map[string]any{"id": "secret-model", "name": "Secret", "accessControl": private})
		setAccess := func(ac any) {
			t.Helper()
			w.s.MustQuery(t, w.admin.Token, `mutation($ac: JSON) { updateModel(id: "secret-model", input: {accessControl: $ac}) { id } }`, "ac", ac)
		}
		step := 0
		want := func(allowed bool, after string) {
			t.Helper()
			step++
			for range 2 { // the second call is answered from what the first one left
				resp := w.post(t, "/v1/chat/completions", w.userKey, chat(false, "model", "secret-model"))
				if allowed {
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("step %d, after %s: status %d, want 200", step, after, resp.StatusCode)
					}
					resp.Body.Close()
					continue
				}
				wantError(t, resp, http.StatusNotFound, "invalid_request_error", "model_not_found")
			}
		}
		want(false, "a private model was created")
		setAccess(map[string]any{"read": map[string]any{"group_ids": []any{}, "user_ids": []any{w.user.ID}}})
		want(true, "a grant to the user")
		setAccess(private)
		want(false, "the grant was taken back")

		g := st.Get(w.s.MustQuery(t, w.admin.Token, `mutation { createGroup(input: {name: "Readers"}) { id } }`), "createGroup.id").(string)
		setAccess(map[string]any{"read": map[string]any{"group_ids": []any{g}, "user_ids": []any{}}})
		want(false, "a grant to a group the user is not in")
		members := func(op string) {
			t.Helper()
			w.s.MustQuery(t, w.admin.Token, `mutation($g: ID!, $u: [ID!]!) { `+op+`(groupId: $g, userIds: $u) { group { id } } }`, "g", g, "u", []any{w.user.ID})
		}
		members("addGroupMembers")
		want(true, "the user joined the group")
		members("removeGroupMembers")
		want(false, "the user left the group")
		members("addGroupMembers")
		want(true, "the user joined the group again")
		w.s.MustQuery(t, w.admin.Token, `mutation($g: ID!) { deleteGroup(id: $g) }`, "g", g)
		want(false, "the group was deleted")

		setAccess(nil)
		want(true, "the model was made public")
		w.s.MustQuery(t, w.admin.Token, `mutation { updateModel(id: "secret-model", input: {isActive: false}) { id } }`)
		want(false, "the model was turned off")
		w.s.MustQuery(t, w.admin.Token, `mutation { updateModel(id: "secret-model", input: {isActive: true}) { id } }`)
		want(true, "the model was turned on")
		w.s.MustQuery(t, w.admin.Token, `mutation { deleteModel(id: "secret-model") }`)
		want(false, "the model was deleted")
	})
}

// forwarded are Open WebUI's user headers naming target.
func forwarded(target st.Account, chatID string) []string {
	return []string{gateway.HeaderUserID, target.ID, gateway.HeaderUserEmail, target.Email, gateway.HeaderUserRole, "admin", gateway.HeaderChatID, chatID}
}

func TestForwardedUserHeaders(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		carol := w.s.Signup(t, "Carol")
		w.s.SetRole(t, carol.ID, "USER")
		w.plan(t, w.user.ID, roomy)
		w.plan(t, carol.ID, roomy)

		// Bob's key lacks gateway.forward_user: the headers are ignored and Bob pays.
		resp := w.post(t, "/v1/chat/completions", w.userKey, chat(false), forwarded(carol, "chat-1")...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		resp.Body.Close()
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1})
		w.wantQuota(t, carol.ID, map[string]int64{"REQUESTS": 0})

		// Granted through a group, the same key now acts for Carol, found by id...
		d := w.s.MustQuery(t, w.admin.Token, `mutation { createGroup(input: {name: "Gateways", permissions: {gateway: {forward_user: true}}}) { id } }`)
		w.s.MustQuery(t, w.admin.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`,
			"g", st.Get(d, "createGroup.id"), "u", []any{w.user.ID})
		resp = w.post(t, "/v1/chat/completions", w.userKey, chat(false), forwarded(carol, "chat-1")...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		resp.Body.Close()
		// ... or by email when Open WebUI's id is not steward's.
		resp = w.post(t, "/v1/chat/completions", w.userKey, chat(false), gateway.HeaderUserID, "owui-id", gateway.HeaderUserEmail, strings.ToUpper(carol.Email))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		resp.Body.Close()
		w.wantQuota(t, carol.ID, map[string]int64{"REQUESTS": 2})
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1})
		// The events carry the model, the chat and the service key that made the call.
		evs, err := w.s.App.DB.Client.UsageEvent.Query().Where(usageevent.UserID(carol.ID), usageevent.MetricEQ(metric.Requests)).
			All(authz.AsOperator(context.Background()))
		if err != nil || len(evs) != 2 {
			t.Fatalf("carol's request events %v (%v), want 2", evs, err)
		}
		for _, e := range evs {
			if e.ModelID != "gpt-test" || e.Metadata["forwardedBy"] != w.user.ID || e.Metadata["apiKeyId"] == nil {
				t.Errorf("event %+v, want model gpt-test, forwardedBy bob and the key", e)
			}
		}
		if evs[0].ChatID != "chat-1" && evs[1].ChatID != "chat-1" {
			t.Errorf("no event carries the forwarded chat id")
		}

		// The account found by id is remembered between calls (sessions.Account), but not past a
		// role change: made pending by an admin, Carol is refused at once.
		w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { updateUser(id: $id, input: {role: PENDING}) { id } }`, "id", carol.ID)
		wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false), forwarded(carol, "chat-1")...),
			http.StatusForbidden, "invalid_request_error", "permission_denied")

		// An unknown user is refused, and so is a pending one.
		wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false), gateway.HeaderUserEmail, "nobody@example.com"),
			http.StatusForbidden, "invalid_request_error", "permission_denied")
		dave := w.s.Signup(t, "Dave")
		wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false), forwarded(dave, "")...),
			http.StatusForbidden, "invalid_request_error", "permission_denied")
		if got := w.up.Count(); got != 3 {
			t.Errorf("upstream got %d calls, want 3", got)
		}
	})
}

// A suspended account is refused, by its own key and as a forwarded user (by id, through the
// remembered account, and by email), with a message saying so; reinstated, it is served again.
func TestSuspendedUsersAreRefused(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, nil)
	carol := w.s.Signup(t, "Carol")
	w.s.SetRole(t, carol.ID, "USER")
	d := w.s.MustQuery(t, w.admin.Token, `mutation { createGroup(input: {name: "Gateways", permissions: {gateway: {forward_user: true}}}) { id } }`)
	w.s.MustQuery(t, w.admin.Token, `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { changed } }`,
		"g", st.Get(d, "createGroup.id"), "u", []any{w.user.ID})
	ok := func(key string, headers ...string) {
		t.Helper()
		resp := w.post(t, "/v1/chat/completions", key, chat(false), headers...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		resp.Body.Close()
	}
	ok(w.userKey, forwarded(carol, "")...) // remembered by id from now on
	w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { suspendUser(id: $id, reason: "abuse") { id } }`, "id", carol.ID)
	for _, headers := range [][]string{forwarded(carol, ""), {gateway.HeaderUserEmail, carol.Email}} {
		v := wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false), headers...),
			http.StatusForbidden, "invalid_request_error", "permission_denied")
		if m, _ := st.Get(v, "error.message").(string); !strings.Contains(m, "suspended") {
			t.Errorf("message %q, want the account to be suspended", m)
		}
	}
	// The service key's own account suspended: its key is refused too.
	w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { suspendUser(id: $id) { id } }`, "id", w.user.ID)
	wantError(t, w.post(t, "/v1/chat/completions", w.userKey, chat(false)), http.StatusForbidden, "invalid_request_error", "permission_denied")
	req, _ := http.NewRequest(http.MethodGet, w.s.URL+"/v1/models", nil)
	req.Header.Set("Authorization", "Bearer "+w.userKey)
	resp, err := w.s.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, resp, http.StatusForbidden, "invalid_request_error", "permission_denied")
	for _, id := range []string{w.user.ID, carol.ID} {
		w.s.MustQuery(t, w.admin.Token, `mutation($id: ID!) { reinstateUser(id: $id) { id } }`, "id", id)
	}
	ok(w.userKey)
	ok(w.userKey, forwarded(carol, "")...)
	if got := w.up.Count(); got != 3 {
		t.Errorf("upstream got %d calls, want 3", got)
	}
}

func TestUnknownForwardedUsersCanBeRegisteredAsPending(t *testing.T) {
	w := newWorld(t, dbtest.SQLite, map[string]string{"STEWARD_GATEWAY_UNKNOWN_USERS": "pending"})
	resp := w.post(t, "/v1/chat/completions", w.adminKey, chat(false),
		gateway.HeaderUserID, "owui-42", gateway.HeaderUserEmail, "New.Person@Example.com", gateway.HeaderUserName, "New Person")
	v := wantError(t, resp, http.StatusForbidden, "invalid_request_error", "permission_denied")
	if m, _ := st.Get(v, "error.message").(string); !strings.Contains(m, "approval") {
		t.Errorf("message %q, want the account to await approval", m)
	}
	d := w.s.MustQuery(t, w.admin.Token, `{ users(query: "new.person") { edges { node { name email role } } } }`)
	if got := st.Get(d, "users.edges.0.node"); got == nil || st.Get(got, "role") != "PENDING" || st.Get(got, "name") != "New Person" {
		t.Fatalf("registered account %v, want New Person, pending", d)
	}
	// Once approved, the same headers are served and metered as that account.
	id := w.s.MustQuery(t, w.admin.Token, `{ users(query: "new.person") { edges { node { id } } } }`)
	w.s.SetRole(t, st.Get(id, "users.edges.0.node.id").(string), "USER")
	resp = w.post(t, "/v1/chat/completions", w.adminKey, chat(false), gateway.HeaderUserEmail, "new.person@example.com")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d after approval", resp.StatusCode)
	}
	resp.Body.Close()
	if got := w.up.Count(); got != 1 {
		t.Errorf("upstream got %d calls, want 1", got)
	}
}

func TestUpstreamDroppingMidStreamSettlesWhatWasStreamed(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		w := newWorld(t, b, nil)
		w.plan(t, w.user.ID, roomy)
		w.up.Set(fakeupstream.Behaviour{Chunks: []string{"alpha beta", " gamma", " delta"}, DropAfter: 2})
		resp := w.post(t, "/v1/chat/completions", w.userKey, chat(true))
		evs := events(t, resp.Body)
		resp.Body.Close()
		if len(evs) != 2 || evs[len(evs)-1] == "[DONE]" {
			t.Fatalf("events %v, want the two chunks sent before the upstream broke, and no [DONE]", evs)
		}
		var tk gateway.Tiktoken
		prompt := int64(3 + 3 + tk.Count("gpt-test", "user") + tk.Count("gpt-test", "Say hello to the world"))
		w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 1, "TOKENS_INPUT": prompt, "TOKENS_OUTPUT": int64(tk.Count("gpt-test", "alpha beta gamma"))})
	})
}
