package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/steward-dev/steward/internal/gateway"
	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
)

func init() {
	register(Scenario{Name: "gateway", Summary: "latency the /v1 gateway adds to streamed chat completions, against calling the upstream directly", Run: runGateway})
}

// runGateway measures what steward's gateway adds to a model call: the same streamed chat
// completion is read to its end straight from a fake upstream in this process and through
// steward (authentication, access check, quota hold, relay, settlement), side by side at each
// concurrency. The calls are made with a service key and Open WebUI's forwarded user headers,
// spread over --users users on a plan with quotas, as an Open WebUI deployment makes them.
func runGateway(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	var (
		tf targetFlags
		lf loadFlags
	)
	tf.register(fs)
	lf.register(fs, 1)
	users := fs.Int("users", 50, "users the calls are made for")
	levels := fs.String("concurrency", "1,200,1000", "comma-separated numbers of concurrent streams to measure")
	chunks := fs.Int("chunks", 20, "chunks per streamed answer")
	chunkDelay := fs.Duration("chunk-delay", 5*time.Millisecond, "delay between chunks at the upstream (a model generating)")
	steady := fs.Bool("steady", true, "start the streams spread over one stream's length, run the warm-up into the measured part without a break and let the last calls end (false: start them together and cut them at the end of the warm-up, as before, which makes every stream start the measured part at once on new connections)")
	warmUsers := fs.Bool("warm-users", true, "before measuring, have every user make one call through steward, as the users of a running deployment have (false: the measured calls at low concurrency are mostly users' first calls, each taking a budget lease in a database transaction and looking the user up)")
	serverProcess := fs.Bool("server-process", false, "run steward as its own process (cmd/steward, built first) instead of in this one, so that its garbage collection and scheduling are not shared with the load generator and the fake upstream")
	traceSlow := fs.Duration("trace-slow", 0, "print where the time went for calls whose first or last token spent longer than this on the way (turns on the gateway's Server-Timing header)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if tf.url != "" {
		return fmt.Errorf("the gateway scenario starts its own steward: --url is not supported")
	}
	var conc []int
	for _, s := range strings.Split(*levels, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("--concurrency %q: want positive numbers", *levels)
		}
		conc = append(conc, n)
	}
	maxConc := 0
	for _, c := range conc {
		maxConc = max(maxConc, c)
	}
	if files, err := raiseFileLimit(); err != nil {
		return fmt.Errorf("raising the open files limit: %w", err)
	} else if files != 0 && files < uint64(3*maxConc+256) {
		return fmt.Errorf("%d concurrent streams need about %d open files; the limit is %d (raise it with ulimit -Hn)", maxConc, 3*maxConc+256, files)
	}
	up := fakeupstream.New()
	defer up.Close()
	up.Record = false
	parts := make([]string, *chunks)
	for i := range parts {
		parts[i] = fmt.Sprintf(" word%d", i)
	}
	up.Set(fakeupstream.Behaviour{Chunks: parts, ChunkDelay: *chunkDelay, Stamp: true})
	os.Setenv("OPENAI_API_BASE_URLS", up.BaseURL())
	os.Setenv("ENABLE_API_KEYS", "true")
	if *traceSlow > 0 {
		os.Setenv("STEWARD_GATEWAY_SERVER_TIMING", "true")
	}
	var srv *benchServer
	if *serverProcess {
		dir, err := os.MkdirTemp("", "steward-bench-gateway-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if tf.dbURL == "" {
			tf.dbURL = filepath.Join(dir, "bench.db")
		}
		env := []string{"OPENAI_API_BASE_URLS=" + up.BaseURL(), "ENABLE_API_KEYS=true"}
		if *traceSlow > 0 {
			env = append(env, "STEWARD_GATEWAY_SERVER_TIMING=true")
		}
		if srv, err = spawnServer(ctx, dir, tf.dbURL, env...); err != nil {
			return err
		}
		defer srv.stop()
		tf.url = srv.url
	}
	tg, err := tf.open(ctx, maxConc)
	if err != nil {
		return err
	}
	defer tg.Close()
	tg.HTTP.Timeout = 0 // streams are bounded by the load loop's deadline
	tg.HTTP.Transport.(*http.Transport).MaxIdleConnsPerHost = 2*maxConc + 16
	tg.HTTP.Transport.(*http.Transport).MaxIdleConns = 4*maxConc + 16
	userIDs, err := setupUsage(ctx, tg, *users)
	if err != nil {
		return fmt.Errorf("setting up users: %w", err)
	}
	var key struct {
		CreateAPIKey struct{ Key string } `json:"createAPIKey"`
	}
	if err := tg.graphql(ctx, tg.Token, `mutation { createAPIKey(input: {name: "open-webui"}) { key } }`, nil, &key); err != nil {
		return fmt.Errorf("creating the service key: %w", err)
	}
	if err := tg.graphql(ctx, tg.Token, `mutation { createModel(input: {id: "bench-model", name: "Bench"}) { id } }`, nil, nil); err != nil {
		return fmt.Errorf("creating the model: %w", err)
	}
	body, _ := json.Marshal(map[string]any{"model": "bench-model", "stream": true, "max_tokens": 256,
		"messages": []any{map[string]any{"role": "user", "content": "Write a short poem about quotas that hold."}}})
	var seq atomic.Int64
	stream := func(url string, headers func(h http.Header), ov *overheads) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			t0 := time.Now()
			var ct *callTrace
			if *traceSlow > 0 {
				ct = &callTrace{t0: t0}
				ctx = ct.attach(ctx)
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "application/json")
			headers(req.Header)
			resp, err := tg.HTTP.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				raw, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
				return fmt.Errorf("HTTP %d: %s", resp.StatusCode, raw)
			}
			if ct != nil {
				ct.serverTiming = resp.Header.Get("Server-Timing")
			}
			sc := bufio.NewScanner(resp.Body)
			n := 0
			var first, last time.Duration
			stamped := 0
			for sc.Scan() {
				line := sc.Bytes()
				if !bytes.HasPrefix(line, []byte("data: ")) {
					continue
				}
				n++
				read := time.Now()
				if o, ok := chunkOverhead(line, t0, read); ok {
					if stamped == 0 {
						first = o
					}
					last = o
					stamped++
					if ct != nil {
						ct.chunk(line, read)
					}
				}
			}
			if n < *chunks+1 {
				return fmt.Errorf("stream ended after %d events: %v", n, sc.Err())
			}
			if err := sc.Err(); err != nil {
				return err
			}
			if stamped != *chunks {
				return fmt.Errorf("%d of %d chunks carried the fake's stamps", stamped, *chunks)
			}
			ov.add(t0, first, last)
			if ct != nil && ctx.Err() == nil {
				ct.first, ct.last = first, last
				ov.traced(ct, first > *traceSlow || last > *traceSlow)
			}
			return nil
		}
	}
	var ovDirect, ovThrough overheads
	direct := stream(up.BaseURL()+"/chat/completions", func(http.Header) {}, &ovDirect)
	through := stream(tg.URL+"/v1/chat/completions", func(h http.Header) {
		h.Set("Authorization", "Bearer "+key.CreateAPIKey.Key)
		h.Set(gateway.HeaderUserID, userIDs[int(seq.Add(1))%len(userIDs)])
		h.Set(gateway.HeaderChatID, "bench-chat")
	}, &ovThrough)
	if *warmUsers {
		var g errgroup.Group
		for range userIDs {
			g.Go(func() error { return through(ctx) })
		}
		if err := g.Wait(); err != nil {
			return fmt.Errorf("the users' first calls: %w", err)
		}
	}
	fmt.Printf("gateway: streams of %d chunks %s apart, %d users, %s, GOMAXPROCS %d\n", *chunks, *chunkDelay, len(userIDs), tg.DB.Dialect, runtime.GOMAXPROCS(0))
	for _, c := range conc {
		l := lf
		l.clients = c
		l.finishCalls = *steady
		if *steady {
			l.stagger = min(time.Duration(*chunks)**chunkDelay, l.warmup) // one stream's length, within the warm-up
		}
		l.measuring = ovDirect.reset
		ld := l // profiles and traces are of the calls through steward
		ld.blockProfile, ld.execTrace = "", ""
		d := hammer(ctx, "direct to the upstream", ld, direct)
		l.measuring = ovThrough.reset
		db0 := tg.DB.SQL.Stats()
		var srvCPU0 int64
		if srv != nil {
			srvCPU0 = processCPUOf(srv.pid)
		}
		g := hammer(ctx, "through steward /v1", l, through)
		db1 := tg.DB.SQL.Stats()
		d.report(os.Stdout, lf.json)
		g.report(os.Stdout, lf.json)
		if srv != nil && g.Requests > 0 {
			fmt.Printf("  steward's own process: CPU %.2f ms/request (the line above is this process's: the client and the fake upstream)\n",
				float64(processCPUOf(srv.pid)-srvCPU0)/1e6/float64(g.Requests))
		}
		fmt.Printf("  added at %d concurrent streams: p50 %+.2f ms, p99 %+.2f ms (whole calls: the upstream's pacing included)\n", c, g.P50ms-d.P50ms, g.P99ms-d.P99ms)
		ovDirect.compare(os.Stdout, c, &ovThrough)
		if *traceSlow > 0 {
			fmt.Printf("  database connections during the calls through steward: %d open at the end, %d opened, %d closed as surplus idle, %d waits (%s)\n",
				db1.OpenConnections, (db1.OpenConnections-db0.OpenConnections)+int(db1.MaxIdleClosed-db0.MaxIdleClosed+db1.MaxIdleTimeClosed-db0.MaxIdleTimeClosed+db1.MaxLifetimeClosed-db0.MaxLifetimeClosed),
				db1.MaxIdleClosed-db0.MaxIdleClosed, db1.WaitCount-db0.WaitCount, db1.WaitDuration-db0.WaitDuration)
			for _, x := range []struct {
				name string
				o    *overheads
			}{{"direct", &ovDirect}, {"through steward", &ovThrough}} {
				n, tail := x.o.tailAtStart()
				fmt.Printf("  %s: %d of the slowest %d first tokens (1%%) were of calls started in the measured part's first 0.5 s\n", x.name, n, tail)
			}
			ovDirect.printSlow(os.Stdout, "direct", d.Requests)
			ovThrough.printSlow(os.Stdout, "through steward", g.Requests)
		}
	}
	return nil
}

// overheads collects, per streamed call, the time its first and its last chunk spent on the way:
// the time from sending the request to reading the chunk, less the time the fake upstream took
// between receiving the request and sending that chunk (its stamps). What remains is the request
// and the chunk crossing the network, and everything in between (steward, when it is in the
// path), without the fake's pacing and its timer slack, which are the same on both paths and far
// larger than what a proxy adds.
type overheads struct {
	mu          sync.Mutex
	first, last []time.Duration
	// starts are the calls' start times after since.
	starts []time.Duration
	// since is when the measured part began; slowCalls are the traced calls over --trace-slow.
	since     time.Time
	slowCalls []*callTrace
	// newConns and newUpstreamConns count the measured calls that dialed a new connection: this
	// client's, and the gateway's to the upstream.
	newConns, newUpstreamConns int
}

func (o *overheads) reset() {
	o.mu.Lock()
	o.first, o.last, o.starts = o.first[:0], o.last[:0], o.starts[:0]
	o.since, o.slowCalls, o.newConns, o.newUpstreamConns = time.Now(), nil, 0, 0
	o.mu.Unlock()
}

// traced counts a traced call's new connections and keeps it if it was slow.
func (o *overheads) traced(ct *callTrace, slow bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.since.IsZero() || ct.t0.Before(o.since) {
		return
	}
	if ct.conn == "new" {
		o.newConns++
	}
	if strings.Contains(ct.serverTiming, `conn;desc="new"`) {
		o.newUpstreamConns++
	}
	if slow {
		o.slowCalls = append(o.slowCalls, ct)
	}
}

func (o *overheads) add(t0 time.Time, first, last time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.since.IsZero() || t0.Before(o.since) {
		return // a warm-up call
	}
	o.first = append(o.first, first)
	o.last = append(o.last, last)
	o.starts = append(o.starts, t0.Sub(o.since))
}

// tailAtStart counts how many of the slowest 1% of first tokens belong to calls started in the
// measured part's first half second: a tail made by the start of the measurement, not by the
// steady load.
func (o *overheads) tailAtStart() (atStart, tail int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	idx := make([]int, len(o.first))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return int(o.first[b] - o.first[a]) })
	tail = max(len(idx)/100, 1)
	if len(idx) == 0 {
		return 0, 0
	}
	for _, i := range idx[:tail] {
		if o.starts[i] < 500*time.Millisecond {
			atStart++
		}
	}
	return atStart, tail
}

// compare prints what steward adds to the first and the last token: the percentiles of the
// calls through steward (o2) less those of the direct calls (o).
func (o *overheads) compare(w io.Writer, streams int, o2 *overheads) {
	pct := func(d []time.Duration) (p50, p99 float64) {
		s := slices.Clone(d)
		slices.Sort(s)
		if len(s) == 0 {
			return 0, 0
		}
		return ms(percentile(s, 0.50)), ms(percentile(s, 0.99))
	}
	d50, d99 := pct(o.first)
	s50, s99 := pct(o2.first)
	l50, l99 := pct(o.last)
	t50, t99 := pct(o2.last)
	fmt.Fprintf(w, "  added to the first token: p50 %+.2f ms, p99 %+.2f ms (direct p50 %.2f ms, through %.2f ms)\n", s50-d50, s99-d99, d50, s50)
	fmt.Fprintf(w, "  added to the last token:  p50 %+.2f ms, p99 %+.2f ms (direct p50 %.2f ms, through %.2f ms)\n", t50-l50, t99-l99, l50, t50)
}

// chunkOverhead reads the fake upstream's stamps from one data line and returns the time the
// chunk spent on the way (see overheads); ok is false for lines without stamps.
func chunkOverhead(line []byte, sent, read time.Time) (time.Duration, bool) {
	received, ok1 := stampOf(line, fakeupstream.StampReceived)
	left, ok2 := stampOf(line, fakeupstream.StampSent)
	if !ok1 || !ok2 {
		return 0, false
	}
	return read.Sub(sent) - time.Duration(left-received), true
}

// stampOf finds "name":<integer> in a JSON line without decoding it all.
func stampOf(line []byte, name string) (int64, bool) {
	i := bytes.Index(line, []byte(`"`+name+`":`))
	if i < 0 {
		return 0, false
	}
	rest := line[i+len(name)+3:]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	v, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return v, err == nil
}
