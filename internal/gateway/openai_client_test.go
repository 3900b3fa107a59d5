package gateway_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
)

// OpenAIClientEnv names the folder holding the installed official OpenAI Node library
// (.ci/openai-client after `npm ci`); .ci/run sets it.
const OpenAIClientEnv = "STEWARD_TEST_OPENAI_CLIENT"

// TestOfficialOpenAIClient runs the official `openai` npm package against steward: every call an
// OpenAI client makes works unchanged, and steward's refusals raise the library's own errors.
func TestOfficialOpenAIClient(t *testing.T) {
	dir := os.Getenv(OpenAIClientEnv)
	if dir == "" {
		t.Skip(OpenAIClientEnv + " not set: skipping the official OpenAI client test (run `npm ci` in .ci/openai-client and set it to that folder)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "openai")); err != nil {
		t.Fatalf("%s=%s has no node_modules/openai: run npm ci there", OpenAIClientEnv, dir)
	}
	w := newWorld(t, dbtest.SQLite, nil)
	w.plan(t, w.user.ID, map[string]int{"REQUESTS": 3})
	cmd := exec.Command("node", filepath.Join(dir, "client.mjs"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OPENAI_BASE_URL="+w.s.URL+"/v1", "OPENAI_API_KEY="+w.userKey)
	raw, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node client.mjs: %v\n%s%s", err, raw, stderr)
	}
	var got struct {
		Models          []string
		Content         string
		Usage           map[string]int
		Streamed        string
		StreamUsage     map[string]int
		EmbeddingLength int
		UnknownModel    map[string]any
		OverQuota       map[string]any
		BadKey          map[string]any
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("client output %q: %v", raw, err)
	}
	if len(got.Models) != 1 || got.Models[0] != "gpt-test" {
		t.Errorf("models %v, want [gpt-test]", got.Models)
	}
	if got.Content != "Hello world!" || got.Streamed != "Hello world!" {
		t.Errorf("content %q, streamed %q; want the upstream's answer both ways", got.Content, got.Streamed)
	}
	if got.Usage["completion_tokens"] != fakeupstream.CompletionTokens || got.StreamUsage["completion_tokens"] != fakeupstream.CompletionTokens {
		t.Errorf("usage %v, stream usage %v", got.Usage, got.StreamUsage)
	}
	if got.EmbeddingLength != 3 {
		t.Errorf("embedding length %d, want 3", got.EmbeddingLength)
	}
	wantErr := func(name string, e map[string]any, class string, status float64, code string) {
		t.Helper()
		if e["class"] != class || e["status"] != status || (code != "" && e["code"] != code) {
			t.Errorf("%s raised %v, want %s %v %s", name, e, class, status, code)
		}
	}
	wantErr("unknown model", got.UnknownModel, "NotFoundError", 404, "model_not_found")
	wantErr("over quota", got.OverQuota, "RateLimitError", 429, "insufficient_quota")
	if got.OverQuota["retryAfter"] == nil {
		t.Errorf("over quota without Retry-After: %v", got.OverQuota)
	}
	wantErr("bad key", got.BadKey, "AuthenticationError", 401, "invalid_api_key")
	w.wantQuota(t, w.user.ID, map[string]int64{"REQUESTS": 3})
}
