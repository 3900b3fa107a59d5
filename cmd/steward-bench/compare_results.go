package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// kitResults is what the kit's ab.mjs writes to RESULTS_JSON: one entry per side, each with its
// rounds and the totals over them.
type kitResults struct {
	Duration    int       `json:"duration"`
	Connections int       `json:"connections"`
	Rounds      int       `json:"rounds"`
	Sides       []kitSide `json:"sides"`
	Summary     string    `json:"summary"`
}

type kitSide struct {
	Name        string     `json:"name"`
	RPS         float64    `json:"rps"`
	P50         float64    `json:"p50"`
	P99         float64    `json:"p99"`
	Requests    int        `json:"requests"`
	RefBytes    int        `json:"refBytes"`
	ServerCPUMs *float64   `json:"serverCpuMsPerReq"`
	PGCPUMs     *float64   `json:"postgresCpuMsPerReq"`
	RoundList   []kitRound `json:"rounds"`
}

type kitRound struct {
	RPS        float64 `json:"rps"`
	P50        float64 `json:"p50"`
	P99        float64 `json:"p99"`
	Non2xx     int     `json:"non2xx"`
	Errors     int     `json:"errors"`
	Timeouts   int     `json:"timeouts"`
	Mismatches int     `json:"mismatches"`
}

// comparison is one query's outcome: PostGraphile (A) against steward (B).
type comparison struct {
	Query        string
	PostGraphile kitSide
	Steward      kitSide
}

// parseKitResults reads a RESULTS_JSON file and picks the two sides by name.
func parseKitResults(query string, r io.Reader, stewardName string) (comparison, error) {
	var res kitResults
	if err := json.NewDecoder(r).Decode(&res); err != nil {
		return comparison{}, fmt.Errorf("%s: reading the kit's results: %w", query, err)
	}
	c := comparison{Query: query}
	var haveA, haveB bool
	for _, s := range res.Sides {
		switch s.Name {
		case "postgraphile":
			c.PostGraphile, haveA = s, true
		case stewardName:
			c.Steward, haveB = s, true
		}
	}
	if !haveA || !haveB {
		return comparison{}, fmt.Errorf("%s: the kit's results lack postgraphile or %s (sides: %d)", query, stewardName, len(res.Sides))
	}
	return c, nil
}

// Ratio is steward's requests/s over PostGraphile's, over all rounds.
func (c comparison) Ratio() float64 {
	if c.PostGraphile.RPS == 0 {
		return math.NaN()
	}
	return c.Steward.RPS / c.PostGraphile.RPS
}

// RoundRatios are the per-round ratios (round i of each side), the spread the machine's other
// load causes.
func (c comparison) RoundRatios() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := range min(len(c.Steward.RoundList), len(c.PostGraphile.RoundList)) {
		a := c.PostGraphile.RoundList[i].RPS
		if a == 0 {
			continue
		}
		r := c.Steward.RoundList[i].RPS / a
		lo, hi = math.Min(lo, r), math.Max(hi, r)
	}
	if math.IsInf(lo, 1) {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// Failed counts the requests that failed or came back wrong on either side.
func (c comparison) Failed() int {
	n := 0
	for _, s := range []kitSide{c.PostGraphile, c.Steward} {
		for _, r := range s.RoundList {
			n += r.Non2xx + r.Errors + r.Timeouts + r.Mismatches
		}
	}
	return n
}

func rpsRange(s kitSide) string {
	if len(s.RoundList) == 0 {
		return "n/a"
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range s.RoundList {
		lo, hi = math.Min(lo, r.RPS), math.Max(hi, r.RPS)
	}
	return fmt.Sprintf("%.0f-%.0f", lo, hi)
}

func cpuCell(s kitSide) string {
	f := func(p *float64) string {
		if p == nil {
			return "n/a"
		}
		return fmt.Sprintf("%.2f", *p)
	}
	return f(s.ServerCPUMs) + " + " + f(s.PGCPUMs)
}

// writeSummary prints the comparisons as a Markdown table, one row per query: each side's
// requests/s over all rounds (and the per-round range), p50, p99, CPU ms per request of the
// server and of PostgreSQL, then the ratio and whether steward's p99 is the lower.
func writeSummary(w io.Writer, mode string, cs []comparison) {
	fmt.Fprintf(w, "\n%s: steward / PostGraphile\n\n", mode)
	fmt.Fprintln(w, "| query | PostGraphile rps (rounds) | p50 / p99 ms | CPU ms/req server + PG | steward rps (rounds) | p50 / p99 ms | CPU ms/req server + PG | ratio (rounds) | steward p99 lower |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, c := range cs {
		lo, hi := c.RoundRatios()
		lower := "no"
		if c.Steward.P99 < c.PostGraphile.P99 {
			lower = "yes"
		}
		note := ""
		if n := c.Failed(); n > 0 {
			note = fmt.Sprintf(" (!! %d failed)", n)
		}
		fmt.Fprintf(w, "| %s%s | %.0f (%s) | %.1f / %.1f | %s | %.0f (%s) | %.1f / %.1f | %s | %.2f (%.2f-%.2f) | %s |\n",
			c.Query, note,
			c.PostGraphile.RPS, rpsRange(c.PostGraphile), c.PostGraphile.P50, c.PostGraphile.P99, cpuCell(c.PostGraphile),
			c.Steward.RPS, rpsRange(c.Steward), c.Steward.P50, c.Steward.P99, cpuCell(c.Steward),
			c.Ratio(), lo, hi, lower)
	}
}

// withVariables returns a kit body file's JSON with variables["id"] set (bodies that take no id
// are returned as they are), failing on a body that is not a GraphQL request.
func withVariables(body []byte, id string) ([]byte, error) {
	var req map[string]any
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, err
	}
	q, _ := req["query"].(string)
	if strings.TrimSpace(q) == "" {
		return nil, fmt.Errorf("body has no query")
	}
	vars, _ := req["variables"].(map[string]any)
	if _, takesID := vars["id"]; takesID {
		if id == "" {
			return nil, fmt.Errorf("body takes an id and none was found")
		}
		vars["id"] = id
	}
	return json.MarshalIndent(req, "", "  ")
}
