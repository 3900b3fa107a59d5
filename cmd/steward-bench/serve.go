package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	_ "net/http/pprof" // served only with --pprof
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"

	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/server"
)

func init() {
	register(Scenario{Name: "serve", Summary: "steward as its own process, configured like cmd/steward plus the bench's switches (compare's server)", Run: runServe})
}

// runServe runs steward as cmd/steward does (configuration from the environment: DATABASE_URL,
// REDIS_URL, ...) with the switches cmd/steward does not have: the query cache off, and the
// per-address rate limits off on first start (one load generator is one address). compare starts
// it as a separate process so that the server's CPU is measured apart from the load generator's
// and PostGraphile's, as PostGraphile's is.
func runServe(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var (
		addr         = fs.String("addr", "127.0.0.1:0", "listen address; the chosen one is printed as \"listening <addr>\" on stdout")
		noQueryCache = fs.Bool("no-query-cache", false, "execute every request (the query cache off)")
		pprofAddr    = fs.String("pprof", "", "serve net/http/pprof on this address (e.g. 127.0.0.1:6061)")
		verbose      = fs.Bool("v", false, "log at info level to stderr (default: warnings only)")
		replicas     = fs.Int("replicas", 1, "more than 1: start that many serve processes (children of this one) behind --addr, spread by --balance")
		balance      = fs.String("balance", "port", "with --replicas: \"port\", the replicas share --addr's port (SO_REUSEPORT, Linux) and the kernel spreads connections over them, as node:cluster does for PostGraphile; \"proxy\", a round-robin reverse proxy in this process forwards every request, as a load balancer would")
		reusePort    = fs.Bool("reuse-port", false, "listen with SO_REUSEPORT (set by --balance port for its replicas)")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *replicas > 1 {
		var child []string
		if *noQueryCache {
			child = append(child, "--no-query-cache")
		}
		if *verbose {
			child = append(child, "-v")
		}
		switch *balance {
		case "port":
			return serveSharedPort(ctx, *addr, *replicas, child)
		case "proxy":
			return serveReplicas(ctx, *addr, *replicas, child)
		}
		return fmt.Errorf("--balance %q: want port or proxy", *balance)
	}
	cfg, err := config.Load(nil, os.Getenv)
	if err != nil {
		return err
	}
	cfg.Seeds.RateLimits.Enabled = false
	if cfg.SecretKey == "" {
		cfg.SecretKey = "steward-bench-secret-key-0123456789abcdef"
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if *pprofAddr != "" {
		go func() { logger.Warn("profiler stopped", "err", http.ListenAndServe(*pprofAddr, nil)) }()
	}
	ttl := (&targetFlags{noQueryCache: *noQueryCache}).queryCacheTTL()
	server.TuneGC() // as cmd/steward does
	app, err := server.New(ctx, cfg, server.Options{Logger: logger, QueryCacheTTL: ttl})
	if err != nil {
		return err
	}
	defer app.Close()
	if *reusePort {
		ln, lerr := listenShared(ctx, *addr)
		if lerr != nil {
			return lerr
		}
		fmt.Fprintln(os.Stdout, "listening", ln.Addr().String())
		err = app.ServeListener(ctx, ln)
	} else {
		err = app.Serve(ctx, *addr, func(a string) { fmt.Fprintln(os.Stdout, "listening", a) })
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// serveReplicas starts n replicas of this binary's serve scenario and proxies round-robin to them
// from addr. The replicas are this process's children, so that compare's CPU figure for this
// process (the kit counts a process's direct children) covers the replicas and the proxy.
func serveReplicas(ctx context.Context, addr string, n int, args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var (
		targets []*url.URL
		cmds    []*exec.Cmd
	)
	defer func() { stopReplicas(cmds) }()
	for range n {
		a, err := startReplica(exe, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &cmds)
		if err != nil {
			return err
		}
		targets = append(targets, &url.URL{Scheme: "http", Host: a})
	}
	transport := &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 128, IdleConnTimeout: time.Minute}
	var next atomic.Uint64
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(targets[next.Add(1)%uint64(len(targets))])
			r.Out.Host = r.In.Host
		},
		Transport: transport,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stdout, "listening", ln.Addr().String())
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); _ = srv.Close() }()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveSharedPort starts n replicas of this binary's serve scenario listening on one port with
// SO_REUSEPORT: the first on addr, the others on the port it got. No process stands between the
// client and a replica. The replicas are this process's children, which only waits for them, so
// that compare's CPU figure for this process covers the replicas.
func serveSharedPort(ctx context.Context, addr string, n int, args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var cmds []*exec.Cmd
	defer func() { stopReplicas(cmds) }()
	for range n {
		a, err := startReplica(exe, append([]string{"serve", "--reuse-port", "--addr", addr}, args...), &cmds)
		if err != nil {
			return err
		}
		addr = a
	}
	fmt.Fprintln(os.Stdout, "listening", addr)
	<-ctx.Done()
	return nil
}

// startReplica starts exe with args, adds it to cmds, and returns the address it printed as
// "listening <addr>".
func startReplica(exe string, args []string, cmds *[]*exec.Cmd) (string, error) {
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	*cmds = append(*cmds, cmd)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if a, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return a, nil
		}
	}
	return "", errors.New("a replica exited during start")
}

// stopReplicas interrupts the replicas and waits for them to exit.
func stopReplicas(cmds []*exec.Cmd) {
	for _, c := range cmds {
		_ = c.Process.Signal(os.Interrupt)
	}
	for _, c := range cmds {
		_ = c.Wait()
	}
}
