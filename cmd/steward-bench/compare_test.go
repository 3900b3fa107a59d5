package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// kitResultsSample is the shape ab.mjs writes to RESULTS_JSON (trimmed to two rounds).
const kitResultsSample = `{
  "at": "2026-12-01T18:00:00.000Z", "duration": 10, "connections": 32, "rounds": 2, "warmup": 5, "pipelining": 1,
  "sides": [
    {"name": "postgraphile", "url": "http://127.0.0.1:1/graphql", "body": "a.json",
     "rounds": [
       {"round": 1, "rps": 400, "ok": 4000, "duration": 10, "p50": 70, "p99": 200, "serverCpuMsPerReq": 2.5, "postgresCpuMsPerReq": 2, "non2xx": 0, "errors": 0, "timeouts": 0, "mismatches": 0},
       {"round": 2, "rps": 500, "ok": 5000, "duration": 10, "p50": 60, "p99": 180, "serverCpuMsPerReq": 2.3, "postgresCpuMsPerReq": 1.8, "non2xx": 0, "errors": 0, "timeouts": 0, "mismatches": 0}],
     "rps": 450, "p50": 65, "p99": 190, "requests": 9000, "refBytes": 21845, "serverCpuMsPerReq": 2.4, "postgresCpuMsPerReq": 1.9},
    {"name": "steward", "url": "http://127.0.0.1:2/graphql", "body": "b.json",
     "rounds": [
       {"round": 1, "rps": 600, "ok": 6000, "duration": 10, "p50": 50, "p99": 150, "serverCpuMsPerReq": 1.5, "postgresCpuMsPerReq": null, "non2xx": 0, "errors": 0, "timeouts": 0, "mismatches": 2},
       {"round": 2, "rps": 1000, "ok": 10000, "duration": 10, "p50": 30, "p99": 100, "serverCpuMsPerReq": 1.1, "postgresCpuMsPerReq": null, "non2xx": 1, "errors": 0, "timeouts": 0, "mismatches": 0}],
     "rps": 800, "p50": 40, "p99": 140, "requests": 16000, "refBytes": 19279, "serverCpuMsPerReq": 1.3, "postgresCpuMsPerReq": null}
  ],
  "summary": "postgraphile: 450.0 rps p50 65.00 ms p99 190.00 ms | steward: 800.0 rps p50 40.00 ms p99 140.00 ms | ratio steward/postgraphile: 1.78"
}`

func TestParseKitResults(t *testing.T) {
	c, err := parseKitResults("users", strings.NewReader(kitResultsSample), "steward")
	if err != nil {
		t.Fatal(err)
	}
	if c.PostGraphile.RPS != 450 || c.Steward.RPS != 800 || c.Steward.P99 != 140 || c.PostGraphile.P50 != 65 {
		t.Fatalf("sides read as %+v / %+v", c.PostGraphile, c.Steward)
	}
	if got := c.Ratio(); math.Abs(got-800.0/450) > 1e-9 {
		t.Errorf("ratio %v, want %v", got, 800.0/450)
	}
	// Round 1: 600/400 = 1.5, round 2: 1000/500 = 2.
	if lo, hi := c.RoundRatios(); lo != 1.5 || hi != 2 {
		t.Errorf("round ratios %v-%v, want 1.5-2", lo, hi)
	}
	if got := c.Failed(); got != 3 {
		t.Errorf("failed %d, want 3 (2 mismatches, 1 non-2xx)", got)
	}
	if c.Steward.PGCPUMs != nil || c.PostGraphile.PGCPUMs == nil || *c.PostGraphile.PGCPUMs != 1.9 {
		t.Errorf("PostgreSQL CPU: steward %v (want absent), postgraphile %v (want 1.9)", c.Steward.PGCPUMs, c.PostGraphile.PGCPUMs)
	}
}

func TestParseKitResultsRefusesMissingSide(t *testing.T) {
	if _, err := parseKitResults("users", strings.NewReader(kitResultsSample), "target"); err == nil {
		t.Fatal("results without a side named target were accepted")
	}
	if _, err := parseKitResults("users", strings.NewReader(`{"sides": [`), "steward"); err == nil {
		t.Fatal("truncated results were accepted")
	}
}

func TestWriteSummary(t *testing.T) {
	c, err := parseKitResults("users", strings.NewReader(kitResultsSample), "steward")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	writeSummary(&b, "executed", []comparison{c})
	out := b.String()
	for _, want := range []string{
		"| users (!! 3 failed) | 450 (400-500) | 65.0 / 190.0 | 2.40 + 1.90 | 800 (600-1000) | 40.0 / 140.0 | 1.30 + n/a | 1.78 (1.50-2.00) | yes |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestWithVariables(t *testing.T) {
	body := []byte(`{"operationName":"G","query":"query G($id: ID!) { group(id: $id) { id } }","variables":{"id":"GROUP_ID","first":50}}`)
	out, err := withVariables(body, "g-1")
	if err != nil {
		t.Fatal(err)
	}
	var req struct {
		Query     string
		Variables map[string]any
	}
	if err := json.Unmarshal(out, &req); err != nil {
		t.Fatal(err)
	}
	if req.Variables["id"] != "g-1" || req.Variables["first"] != float64(50) || !strings.Contains(req.Query, "group(id: $id)") {
		t.Fatalf("body became %s", out)
	}
	if _, err := withVariables(body, ""); err == nil {
		t.Error("a body that takes an id was accepted without one")
	}
	if _, err := withVariables([]byte(`{"variables":{}}`), "x"); err == nil {
		t.Error("a body without a query was accepted")
	}
	same, err := withVariables([]byte(`{"query":"{ auditLogs(first: 50) { pageInfo { hasNextPage } } }","variables":{"first":50}}`), "")
	if err != nil || strings.Contains(string(same), `"id"`) {
		t.Errorf("a body without an id variable: %s, %v", same, err)
	}
}

// TestCompareBodiesPairUp checks that every committed query has both sides and that each body is
// a GraphQL request; whether the pairs return the same shape only the kit can tell (it needs
// PostgreSQL and Node 24), so steward-bench compare checks it at every run, not go test.
func TestCompareBodiesPairUp(t *testing.T) {
	for _, q := range compareQueryNames {
		for _, side := range []string{"steward", "postgraphile"} {
			raw, err := compareQueries.ReadFile("compare/queries/" + side + "-" + q + ".json")
			if err != nil {
				t.Fatalf("%s-%s.json: %v", side, q, err)
			}
			if _, err := withVariables(raw, "some-id"); err != nil {
				t.Errorf("%s-%s.json: %v", side, q, err)
			}
		}
	}
}
