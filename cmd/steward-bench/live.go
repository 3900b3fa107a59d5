package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
)

func init() {
	register(Scenario{Name: "live", Summary: "N idle usageUpdated websocket subscriptions, usage at a steady rate: delivery latency and memory per subscription", Run: runLive})
}

// liveSecret signs the subscribers' tokens; the spawned server uses the same one.
const liveSecret = "steward-bench-live-secret-0123456789abcdef"

// runLive measures subscriptions against a separate server process, so that the server's memory
// per idle subscription is not mixed with the clients'.
func runLive(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("live", flag.ContinueOnError)
	subs := fs.Int("subs", 10000, "websocket subscriptions to open")
	users := fs.Int("users", 100, "distinct users the subscriptions watch (round robin)")
	rate := fs.Int("rate", 50, "usage events recorded per second")
	duration := fs.Duration("duration", 10*time.Second, "how long usage is recorded")
	dbURL := fs.String("db", "", "database for the spawned server (default: a temporary SQLite file)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "steward-bench-live-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *dbURL == "" {
		*dbURL = filepath.Join(dir, "bench.db")
	}
	srv, err := spawnServer(ctx, dir, *dbURL)
	if err != nil {
		return err
	}
	defer srv.stop()
	url := srv.url

	d, err := db.Open(ctx, db.Config{URL: *dbURL})
	if err != nil {
		return err
	}
	defer d.Close()
	adminToken, tokens, userIDs, err := seedLiveUsers(ctx, d.Client, *users)
	if err != nil {
		return fmt.Errorf("seeding users: %w", err)
	}

	before, err := srv.memory(ctx)
	if err != nil {
		return err
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		delivered atomic.Int64
	)
	onEvent := func(at time.Time) {
		lat := time.Since(at)
		delivered.Add(1)
		mu.Lock()
		latencies = append(latencies, lat)
		mu.Unlock()
	}
	start := time.Now()
	conns, err := openSubscriptions(ctx, url, tokens, *subs, onEvent)
	if err != nil {
		return err
	}
	defer func() {
		for _, c := range conns {
			_ = c.CloseNow()
		}
	}()
	fmt.Printf("opened %d subscriptions in %s\n", len(conns), time.Since(start).Round(time.Millisecond))
	time.Sleep(2 * time.Second) // let the server settle before measuring idle memory
	after, err := srv.memory(ctx)
	if err != nil {
		return err
	}
	perSub := func(k string) float64 { return (after[k] - before[k]) / float64(len(conns)) }
	if hold := os.Getenv("STEWARD_BENCH_HOLD"); hold != "" {
		d, _ := time.ParseDuration(hold)
		fmt.Printf("holding the idle subscriptions for %s; the server's profiler is at %s/debug/pprof/\n", d, srv.pprofURL)
		time.Sleep(d)
	}
	fmt.Printf("server memory per idle subscription after GC: %.1f KB (heap in use %.1f KB + goroutine stacks %.1f KB); live heap %.1f KB, RSS %.1f KB, goroutines %.2f\n",
		(perSub("go_memstats_heap_inuse_bytes")+perSub("go_memstats_stack_inuse_bytes"))/1024,
		perSub("go_memstats_heap_inuse_bytes")/1024, perSub("go_memstats_stack_inuse_bytes")/1024,
		perSub("go_memstats_alloc_bytes")/1024, perSub("process_resident_memory_bytes")/1024, perSub("go_goroutines"))

	tg := &target{URL: url, HTTP: &http.Client{Timeout: 10 * time.Second}, close: func() {}}
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	deadline := time.After(*duration)
	var sent, failed int
	recordQuery := `mutation($u: ID!) { recordUsage(input: {userId: $u, metric: TOKENS_INPUT, amount: 1}) { replayed } }`
loop:
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			break loop
		case <-tick.C:
			go func(u string) {
				if err := tg.graphql(ctx, adminToken, recordQuery, map[string]any{"u": u}, nil); err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}(userIDs[i%len(userIDs)])
			sent++
		}
	}
	time.Sleep(2 * time.Second) // let the last deliveries arrive
	mu.Lock()
	defer mu.Unlock()
	expected := int64(sent) * int64(len(conns)) / int64(len(userIDs))
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	fmt.Printf("recorded %d events at %d/s (%d failed); delivered %d of ~%d messages\n", sent, *rate, failed, delivered.Load(), expected)
	if len(latencies) > 0 {
		fmt.Printf("delivery latency: p50 %s  p99 %s  max %s\n", percentile(latencies, 0.50).Round(100*time.Microsecond),
			percentile(latencies, 0.99).Round(100*time.Microsecond), latencies[len(latencies)-1].Round(100*time.Microsecond))
	}
	return nil
}

// benchServer is a spawned steward process.
type benchServer struct {
	url string
	// pprofURL is the server's private profiler listener, which the bench uses to force a GC.
	pprofURL string
	// pid is the server process's, for its CPU time.
	pid  int
	stop func()
}

// spawnServer builds cmd/steward and runs it on a free port with rate limits and the websocket
// limit per address off (the bench is one client address) and its profiler on another free port (STEWARD_BENCH_PPROF_ADDR, if set),
// with env added to its environment, and waits until it is ready.
func spawnServer(ctx context.Context, dir, dbURL string, env ...string) (*benchServer, error) {
	bin := filepath.Join(dir, "steward")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/steward").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building steward (run from the repository root): %v\n%s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	pprofAddr := os.Getenv("STEWARD_BENCH_PPROF_ADDR")
	if pprofAddr == "" {
		if pprofAddr, err = freeAddr(); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", dbURL)
	cmd.Env = append(os.Environ(), "WEBUI_SECRET_KEY="+liveSecret, "STEWARD_RATE_LIMITS=false", "DEFAULT_USER_ROLE=user",
		"STEWARD_WS_MAX_PER_IP=0", "STEWARD_PPROF_ADDR="+pprofAddr)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	srv := &benchServer{url: "http://" + addr, pprofURL: "http://" + pprofAddr, pid: cmd.Process.Pid,
		stop: func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }}
	for deadline := time.Now().Add(60 * time.Second); ; {
		if resp, err := http.Get(srv.url + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return srv, nil
			}
		}
		if time.Now().After(deadline) {
			srv.stop()
			return nil, fmt.Errorf("server at %s did not become ready", srv.url)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// seedLiveUsers creates an admin and n users with a session each straight in the database, and
// signs their tokens with the server's secret: far faster than n sign-ups with argon2id.
func seedLiveUsers(ctx context.Context, c *ent.Client, n int) (string, []string, []string, error) {
	ctx = authz.As(ctx, authz.Operator)
	tokens, err := auth.NewTokens([]byte(liveSecret), nil)
	if err != nil {
		return "", nil, nil, err
	}
	issue := func(userID string) (string, error) {
		s, err := c.Session.Create().SetUserID(userID).Save(ctx)
		if err != nil {
			return "", err
		}
		tok, _, err := tokens.Issue(userID, s.ID, 24*time.Hour)
		return tok, err
	}
	admin, err := c.User.Create().SetName("Bench Admin").SetEmail("bench-admin@example.com").SetRole("ADMIN").Save(ctx)
	if err != nil {
		return "", nil, nil, err
	}
	adminToken, err := issue(admin.ID)
	if err != nil {
		return "", nil, nil, err
	}
	var userTokens, ids []string
	for i := range n {
		u, err := c.User.Create().SetName("Watcher " + strconv.Itoa(i)).SetEmail(fmt.Sprintf("watcher%d@example.com", i)).SetRole("USER").Save(ctx)
		if err != nil {
			return "", nil, nil, err
		}
		tok, err := issue(u.ID)
		if err != nil {
			return "", nil, nil, err
		}
		userTokens, ids = append(userTokens, tok), append(ids, u.ID)
	}
	return adminToken, userTokens, ids, nil
}

// openSubscriptions opens n graphql-transport-ws connections, each with one usageUpdated
// subscription, round robin over tokens; onEvent gets each event's server timestamp.
func openSubscriptions(ctx context.Context, url string, tokens []string, n int, onEvent func(at time.Time)) ([]*websocket.Conn, error) {
	wsURL := "ws" + strings.TrimPrefix(url, "http") + "/graphql"
	conns := make([]*websocket.Conn, n)
	var (
		wg       sync.WaitGroup
		firstErr atomic.Value
	)
	sem := make(chan struct{}, 64)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := subscribeUsage(ctx, wsURL, tokens[i%len(tokens)], onEvent)
			if err != nil {
				firstErr.CompareAndSwap(nil, err)
				return
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	if err, _ := firstErr.Load().(error); err != nil {
		return nil, fmt.Errorf("opening subscriptions: %w", err)
	}
	return conns, nil
}

func subscribeUsage(ctx context.Context, wsURL, token string, onEvent func(at time.Time)) (*websocket.Conn, error) {
	dialCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(dialCtx, wsURL, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		return nil, err
	}
	if err := wsjson.Write(dialCtx, c, map[string]any{"type": "connection_init", "payload": map[string]any{"token": token}}); err != nil {
		return nil, err
	}
	var ack struct{ Type string }
	if err := wsjson.Read(dialCtx, c, &ack); err != nil || ack.Type != "connection_ack" {
		return nil, fmt.Errorf("connection_init answered %q: %v", ack.Type, err)
	}
	if err := wsjson.Write(dialCtx, c, map[string]any{"id": "1", "type": "subscribe",
		"payload": map[string]any{"query": `subscription { usageUpdated { used at } }`}}); err != nil {
		return nil, err
	}
	go func() {
		for {
			var m struct {
				Type    string
				Payload struct {
					Data struct {
						UsageUpdated struct{ At time.Time } `json:"usageUpdated"`
					} `json:"data"`
				}
			}
			if err := wsjson.Read(ctx, c, &m); err != nil {
				return
			}
			switch m.Type {
			case "next":
				onEvent(m.Payload.Data.UsageUpdated.At)
			case "ping":
				_ = wsjson.Write(ctx, c, map[string]any{"type": "pong"})
			}
		}
	}()
	return c, nil
}

// memory collects the server's garbage, then reads its memory and goroutine gauges from
// /metrics. Without the collection, heap in use would count whatever garbage the last GC left,
// and two readings would differ by the GC's timing rather than by what the server holds.
// The GC is forced through the profiler (heap?gc=1 runs runtime.GC), which listens on a private
// address: the public API has no way to force one.
func (s *benchServer) memory(ctx context.Context) (map[string]float64, error) {
	if err := drain(ctx, s.pprofURL+"/debug/pprof/heap?gc=1"); err != nil {
		return nil, fmt.Errorf("forcing a GC in the server: %w", err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		if f, err := strconv.ParseFloat(val, 64); err == nil {
			out[name] = f
		}
	}
	return out, sc.Err()
}

// drain GETs url and discards the body.
func drain(ctx context.Context, url string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}
