package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"time"

	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/server"
)

// gqlClient posts GraphQL requests to one server.
type gqlClient struct {
	url  string
	http *http.Client
}

func newClient(url string, conns int) *gqlClient {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	return &gqlClient{url: url + "/graphql", http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// do runs one operation and decodes data into out (may be nil); GraphQL errors are returned.
func (c *gqlClient) do(ctx context.Context, token, query string, vars map[string]any, out any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, raw)
	}
	if len(r.Errors) > 0 {
		return fmt.Errorf("%v: %s", r.Errors[0].Extensions["code"], r.Errors[0].Message)
	}
	if out != nil {
		return json.Unmarshal(r.Data, out)
	}
	return nil
}

// startServer runs steward in this process on a loopback port, on dbURL (a fresh SQLite file in
// a temporary folder when empty), and returns its base URL and a stop function.
func startServer(ctx context.Context, dbURL string) (string, func(), error) {
	cfg, err := config.Load(nil, os.Getenv)
	if err != nil {
		return "", nil, err
	}
	// One load generator is one address: the per-address ceiling would measure the limiter.
	cfg.Seeds.RateLimits.Enabled = false
	dir, err := os.MkdirTemp("", "steward-bench-")
	if err != nil {
		return "", nil, err
	}
	if dbURL == "" {
		dbURL = filepath.Join(dir, "bench.db")
	}
	cfg.DatabaseURL = dbURL
	cfg.SecretKey = "steward-bench-secret-0123456789abcdef0123"
	app, err := server.New(ctx, cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		app.Close()
		os.RemoveAll(dir)
		return "", nil, err
	}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	stop := func() {
		_ = srv.Close()
		_ = app.Close()
		os.RemoveAll(dir)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// report prints a scenario's throughput and latency.
func report(name string, lat []time.Duration, errors int, elapsed time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	fmt.Printf("%s: %d ok, %d errors in %s: %.0f/s  p50 %s  p90 %s  p99 %s  max %s\n", name, len(lat), errors,
		elapsed.Round(time.Millisecond), float64(len(lat))/elapsed.Seconds(),
		percentile(lat, 0.50).Round(10*time.Microsecond), percentile(lat, 0.90).Round(10*time.Microsecond),
		percentile(lat, 0.99).Round(10*time.Microsecond), percentile(lat, 1).Round(10*time.Microsecond))
}

// startProfile writes a CPU profile to path until the returned function is called.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
