package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/server"
)

// targetFlags say which server to load: by default a fresh in-process server on a temporary
// SQLite file (or --db), otherwise the running server at --url whose database --db names.
type targetFlags struct {
	url, dbURL      string
	email, password string
	keep            bool
	noQueryCache    bool
}

// queryCacheTTL is the in-process server's QueryCacheTTL: its default, or off.
func (t *targetFlags) queryCacheTTL() time.Duration {
	if t.noQueryCache {
		return -1
	}
	return 0
}

func (t *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.url, "url", "", "base URL of a running steward (default: start one in-process)")
	fs.StringVar(&t.dbURL, "db", "", "database to seed: the running server's DATABASE_URL, or for the in-process server a SQLite path or postgres:// URL (default: a temporary SQLite file)")
	fs.StringVar(&t.email, "email", "bench-admin@example.com", "admin email (signed up when the database is empty)")
	fs.StringVar(&t.password, "password", "bench-admin-password", "admin password")
	fs.BoolVar(&t.keep, "keep", false, "keep the temporary database")
	fs.BoolVar(&t.noQueryCache, "no-query-cache", false, "turn the in-process server's query cache off, to measure queries executed every time")
}

// target is a server under load, a database handle to seed it and an admin token.
type target struct {
	URL   string
	DB    *db.DB
	Token string
	HTTP  *http.Client
	close func()
}

// Close stops an in-process server and releases the database.
func (t *target) Close() { t.close() }

// newLoadClient is the HTTP client of a load of clients concurrent clients: a kept-alive
// connection each.
func newLoadClient(clients int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: time.Minute,
	}}
}

// open starts or connects to the target and signs the admin in (signing up on an empty database,
// where the first account becomes admin).
func (t *targetFlags) open(ctx context.Context, clients int) (*target, error) {
	tg := &target{HTTP: newLoadClient(clients), close: func() {}}
	if t.url != "" {
		if t.dbURL == "" {
			return nil, errors.New("--url needs --db (the server's database) to seed it")
		}
		d, err := db.Open(ctx, db.Config{URL: t.dbURL})
		if err != nil {
			return nil, err
		}
		tg.URL, tg.DB, tg.close = t.url, d, func() { _ = d.Close() }
	} else {
		dbURL, cleanup := t.dbURL, func() {}
		if dbURL == "" {
			dir, err := os.MkdirTemp("", "steward-bench-")
			if err != nil {
				return nil, err
			}
			dbURL = filepath.Join(dir, "bench.db")
			if !t.keep {
				cleanup = func() { _ = os.RemoveAll(dir) }
			} else {
				fmt.Fprintln(os.Stderr, "database kept at", dbURL)
			}
		}
		cfg, err := config.Load(nil, os.Getenv)
		if err != nil {
			return nil, err
		}
		// One load generator is one address: the per-address ceiling would measure the limiter.
		cfg.Seeds.RateLimits.Enabled = false
		cfg.DatabaseURL = dbURL
		if cfg.SecretKey == "" {
			cfg.SecretKey = "steward-bench-secret-key-0123456789abcdef"
		}
		server.TuneGC() // as cmd/steward does
		app, err := server.New(ctx, cfg, server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), QueryCacheTTL: t.queryCacheTTL()})
		if err != nil {
			cleanup()
			return nil, err
		}
		srvCtx, stop := context.WithCancel(context.Background())
		ready := make(chan string, 1)
		done := make(chan error, 1)
		go func() { done <- app.Serve(srvCtx, "127.0.0.1:0", func(addr string) { ready <- addr }) }()
		select {
		case addr := <-ready:
			tg.URL = "http://" + addr
		case err := <-done:
			stop()
			_ = app.Close()
			cleanup()
			return nil, err
		}
		tg.DB = app.DB
		tg.close = func() {
			stop()
			<-done
			_ = app.Close()
			cleanup()
		}
	}
	token, err := t.signIn(ctx, tg)
	if err != nil {
		tg.Close()
		return nil, err
	}
	tg.Token = token
	return tg, nil
}

func (t *targetFlags) signIn(ctx context.Context, tg *target) (string, error) {
	vars := map[string]any{"in": map[string]any{"email": t.email, "password": t.password}}
	var out struct {
		Signin struct{ Token string } `json:"signin"`
		Signup struct{ Token string } `json:"signup"`
	}
	err := tg.graphql(ctx, "", `mutation($in: SigninInput!) { signin(input: $in) { token } }`, vars, &out)
	if err == nil {
		return out.Signin.Token, nil
	}
	vars["in"].(map[string]any)["name"] = "Bench Admin"
	if err := tg.graphql(ctx, "", `mutation($in: SignupInput!) { signup(input: $in) { token } }`, vars, &out); err != nil {
		return "", fmt.Errorf("signing in as %s: %w", t.email, err)
	}
	return out.Signup.Token, nil
}

// graphql posts one operation and decodes its data into out; GraphQL errors become an error.
func (tg *target) graphql(ctx context.Context, token, query string, vars map[string]any, out any) error {
	status, raw, err := tg.post(ctx, token, query, vars)
	if err != nil {
		return err
	}
	var res struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("HTTP %d: %.200s", status, raw)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("graphql: %s", res.Errors[0].Message)
	}
	if out != nil {
		return json.Unmarshal(res.Data, out)
	}
	return nil
}

// post posts one operation and returns the HTTP status and the body as received.
func (tg *target) post(ctx context.Context, token, query string, vars map[string]any) (int, []byte, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tg.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := tg.HTTP.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}
