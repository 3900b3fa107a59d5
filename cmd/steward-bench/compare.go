package main

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
)

func init() {
	register(Scenario{Name: "compare", Summary: "steward and PostGraphile side by side on one PostgreSQL database (users page, group members, plan subscribers, audit log)", Run: runCompare})
}

// compareQueries are the committed request bodies, one pair per query: steward-<name>.json and
// postgraphile-<name>.json select the same data (the kit's check line compares their shapes).
//
//go:embed compare/queries/*.json
var compareQueries embed.FS

var compareQueryNames = []string{"users", "group", "plan", "audit"}

type compareFlags struct {
	dbURL, kit, redisURL   string
	users, groups, plans   int
	auditEntries           int
	queries, modes         string
	duration, rounds       int
	warmup, connections    int
	profileDir, resultsDir string
	keep                   bool
}

func runCompare(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	var f compareFlags
	fs.StringVar(&f.dbURL, "db", "", "PostgreSQL database to seed and serve (default: a fresh database on "+dbtest.PostgresEnv+"'s server, dropped afterwards)")
	fs.StringVar(&f.kit, "kit", "../shared/bench-postgraphile", "the PostGraphile kit's folder; used in place when it has node_modules, else copied to a temporary folder and `npm ci` run there")
	fs.StringVar(&f.redisURL, "redis", "", "REDIS_URL for steward (default: $STEWARD_TEST_REDIS_URL, else redis://127.0.0.1:6379/0)")
	fs.IntVar(&f.users, "users", 10000, "accounts to seed")
	fs.IntVar(&f.groups, "groups", 20, "groups to seed; each user joins 1 to 3")
	fs.IntVar(&f.plans, "plans", 3, "plans to seed; three users in four subscribe to one")
	fs.IntVar(&f.auditEntries, "audit", 10000, "audit log entries to seed")
	fs.StringVar(&f.queries, "queries", strings.Join(compareQueryNames, ","), "queries to compare, comma separated")
	fs.StringVar(&f.modes, "modes", "executed", "steward modes, comma separated: executed (one process, REDIS_URL set, query cache off: every request executed), cached (one process, REDIS_URL set, query cache on), replicas (two processes sharing one port, REDIS_URL set, shared caches on), replicas-proxy (the same two behind a round-robin reverse proxy)")
	fs.IntVar(&f.duration, "duration", 10, "seconds per measured round")
	fs.IntVar(&f.rounds, "rounds", 3, "alternating rounds per query")
	fs.IntVar(&f.warmup, "warmup", 5, "warm-up seconds per side")
	fs.IntVar(&f.connections, "connections", 32, "concurrent connections")
	fs.StringVar(&f.profileDir, "cpuprofile-dir", "", "write a CPU profile of steward per mode and query (<mode>-<query>.pprof) to this folder, taken through net/http/pprof over the whole side-by-side run (steward is idle while PostGraphile is measured)")
	fs.StringVar(&f.resultsDir, "results-dir", "", "keep the kit's RESULTS_JSON files here (default: a temporary folder)")
	fs.BoolVar(&f.keep, "keep", false, "keep the database created for the run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	queries := splitList(f.queries)
	for _, q := range queries {
		if _, err := compareQueries.ReadFile("compare/queries/steward-" + q + ".json"); err != nil {
			return fmt.Errorf("unknown query %q (have %s)", q, strings.Join(compareQueryNames, ", "))
		}
	}
	modes := splitList(f.modes)
	for _, m := range modes {
		if m != "executed" && m != "cached" && m != "replicas" && m != "replicas-proxy" {
			return fmt.Errorf("unknown mode %q (executed, cached, replicas, replicas-proxy)", m)
		}
	}
	if f.redisURL == "" {
		f.redisURL = os.Getenv("STEWARD_TEST_REDIS_URL")
	}
	if f.redisURL == "" {
		f.redisURL = "redis://127.0.0.1:6379/0"
	}
	work, err := os.MkdirTemp("", "steward-compare-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if f.resultsDir == "" {
		f.resultsDir = work
	} else if err := os.MkdirAll(f.resultsDir, 0o755); err != nil {
		return err
	}
	kit, err := prepareKit(ctx, f.kit, work)
	if err != nil {
		return err
	}
	dsn := f.dbURL
	if dsn == "" {
		var drop func()
		if dsn, drop, err = createDatabase(ctx, f.keep); err != nil {
			return err
		}
		defer drop()
	}

	// The first steward process creates the schema; the admin signs up through it, the rest is
	// inserted straight into the database.
	var all = map[string][]comparison{}
	var seeded *compareSeed
	for _, mode := range modes {
		st, err := startSteward(ctx, mode, dsn, f.redisURL, f.profileDir != "")
		if err != nil {
			return err
		}
		if seeded == nil {
			if seeded, err = seedCompare(ctx, st, dsn, f); err != nil {
				st.stop()
				return err
			}
		} else if seeded.Token, err = (&targetFlags{email: compareAdminEmail, password: compareAdminPassword}).signIn(ctx, &target{URL: st.url, HTTP: http.DefaultClient}); err != nil {
			st.stop()
			return err
		}
		for _, q := range queries {
			c, err := runKit(ctx, kit, work, mode, q, dsn, st, seeded, f)
			if err != nil {
				st.stop()
				return err
			}
			all[mode] = append(all[mode], c)
		}
		st.stop()
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("\nseeded: %s; load average after the run: %s", seeded, load)
	fmt.Printf("%d connections, %d s warm-up per side, %d alternating rounds x %d s\n", f.connections, f.warmup, f.rounds, f.duration)
	for _, mode := range modes {
		writeSummary(os.Stdout, modeTitle(mode), all[mode])
	}
	return nil
}

func modeTitle(mode string) string {
	switch mode {
	case "replicas":
		return "replicas (two steward processes sharing one port through SO_REUSEPORT, REDIS_URL set, shared caches on)"
	case "replicas-proxy":
		return "replicas-proxy (two steward processes behind a round-robin reverse proxy, REDIS_URL set, shared caches on)"
	case "cached":
		return "cached (one steward process, REDIS_URL set, query cache on)"
	}
	return "executed (one steward process, REDIS_URL set, query cache off)"
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// prepareKit returns a kit folder with node_modules: dir itself when it has them, else a copy of
// it under work on which `npm ci` ran (PostGraphile, autocannon and the pinned Node 24 come with
// it; the kit's folder in ../shared is read-only).
func prepareKit(ctx context.Context, dir, work string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "pg-side-by-side.sh")); err != nil {
		return "", fmt.Errorf("--kit %s is not the PostGraphile kit: %w", dir, err)
	}
	if haveKitModules(dir) {
		return dir, nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", errors.New("the kit needs `npm ci` and npm is not on PATH")
	}
	dst := filepath.Join(work, "kit")
	if out, err := exec.CommandContext(ctx, "cp", "-r", dir, dst).CombinedOutput(); err != nil {
		return "", fmt.Errorf("copying the kit: %v: %s", err, out)
	}
	fmt.Fprintln(os.Stderr, "npm ci in", dst, "(PostGraphile, autocannon, Node 24)")
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir, cmd.Stdout, cmd.Stderr = dst, os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("npm ci in the kit: %w", err)
	}
	return dst, nil
}

func haveKitModules(dir string) bool {
	for _, m := range []string{"postgraphile", "autocannon"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", m)); err != nil {
			return false
		}
	}
	return true
}

// createDatabase creates a fresh database on the server STEWARD_TEST_POSTGRES_URL names and
// returns its URL and a function that drops it (unless keep).
func createDatabase(ctx context.Context, keep bool) (string, func(), error) {
	base := os.Getenv(dbtest.PostgresEnv)
	if base == "" {
		return "", nil, fmt.Errorf("--db not given and %s not set: compare needs PostgreSQL", dbtest.PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", dbtest.PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("steward_compare_%d_%d", os.Getpid(), time.Now().Unix())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close()
		return "", nil, fmt.Errorf("creating database %s: %w", name, err)
	}
	u.Path = "/" + name
	drop := func() {
		defer admin.Close()
		if keep {
			fmt.Fprintln(os.Stderr, "database kept:", u.String())
			return
		}
		// WITH (FORCE): PostGraphile's or steward's connections may still be closing.
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "dropping", name+":", err)
		}
	}
	return u.String(), drop, nil
}

// stewardProc is a steward process (`steward-bench serve`) compare started.
type stewardProc struct {
	cmd       *exec.Cmd
	url       string
	pprofAddr string
	log       *os.File
	done      chan error
}

func (s *stewardProc) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	_ = s.log.Close()
	_ = os.Remove(s.log.Name())
}

// startSteward starts this binary's serve scenario on dsn as the mode says and waits until it
// answers /readyz.
func startSteward(ctx context.Context, mode, dsn, redisURL string, pprof bool) (*stewardProc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--addr", "127.0.0.1:0"}
	switch mode {
	case "executed":
		args = append(args, "--no-query-cache")
	case "replicas":
		args = append(args, "--replicas", "2", "--balance", "port")
	case "replicas-proxy":
		args = append(args, "--replicas", "2", "--balance", "proxy")
	}
	p := &stewardProc{done: make(chan error, 1)}
	if pprof && !strings.HasPrefix(mode, "replicas") { // the replicas are children of the process profiled
		if p.pprofAddr, err = freeLoopbackAddr(); err != nil {
			return nil, err
		}
		args = append(args, "--pprof", p.pprofAddr)
	}
	if p.log, err = os.CreateTemp("", "steward-compare-*.log"); err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "REDIS_URL="+redisURL,
		fmt.Sprintf("STEWARD_REDIS_PREFIX=steward-compare-%d-%s:", os.Getpid(), mode),
		"WEBUI_SECRET_KEY=steward-bench-secret-key-0123456789abcdef", "STEWARD_RATE_LIMITS=false")
	cmd.Stderr = p.log
	// Its own process group: the terminal's Ctrl-C reaches compare, which stops it in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.cmd = cmd
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				addrc <- a
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { p.done <- cmd.Wait() }()
	fail := func(err error) (*stewardProc, error) {
		p.stop()
		log, _ := os.ReadFile(p.log.Name())
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	select {
	case a := <-addrc:
		p.url = "http://" + a
	case err := <-p.done:
		p.done <- err
		return fail(fmt.Errorf("steward exited during start: %v", err))
	case <-time.After(120 * time.Second):
		return fail(errors.New("steward did not start within 120 s"))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get(p.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("steward at %s not ready: %v", p.url, err))
		}
	}
	fmt.Fprintf(os.Stderr, "steward (%s) at %s, pid %d\n", mode, p.url, cmd.Process.Pid)
	return p, nil
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

const (
	compareAdminEmail    = "bench-admin@example.com"
	compareAdminPassword = "bench-admin-password"
)

// compareSeed is what the queries need from the seeded database.
type compareSeed struct {
	Token                        string
	GroupID, PlanID              string
	Users, Subscriptions, Audits int
	Members                      int
}

func (s *compareSeed) String() string {
	return fmt.Sprintf("%d users, group %s with %d members, plan %s (of %d subscriptions in all), %d audit entries",
		s.Users, s.GroupID, s.Members, s.PlanID, s.Subscriptions, s.Audits)
}

// seedCompare signs the admin up through st, seeds users, groups, plans, subscriptions and the
// audit log, and analyzes the tables (without statistics PostgreSQL seq-scans memberships).
func seedCompare(ctx context.Context, st *stewardProc, dsn string, f compareFlags) (*compareSeed, error) {
	tf := &targetFlags{email: compareAdminEmail, password: compareAdminPassword}
	tg := &target{URL: st.url, HTTP: http.DefaultClient}
	token, err := tf.signIn(ctx, tg)
	if err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, db.Config{URL: dsn})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	start := time.Now()
	s := &compareSeed{Token: token}
	if s.Users, err = seedUsers(ctx, d.Client, f.users, f.groups); err != nil {
		return nil, err
	}
	if s.Subscriptions, err = seedPlans(ctx, d.Client, f.plans); err != nil {
		return nil, err
	}
	var me struct{ Me struct{ ID string } }
	if err := tg.graphql(ctx, token, `{ me { id } }`, nil, &me); err != nil {
		return nil, err
	}
	if err := seedAudit(ctx, d.Client, me.Me.ID, f.auditEntries); err != nil {
		return nil, err
	}
	s.Audits = f.auditEntries
	if _, err := d.SQL.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
		return nil, fmt.Errorf("VACUUM ANALYZE: %w", err)
	}
	row := d.SQL.QueryRowContext(ctx, `SELECT group_id, count(*) FROM memberships GROUP BY group_id ORDER BY count(*) DESC, group_id LIMIT 1`)
	if err := row.Scan(&s.GroupID, &s.Members); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	row = d.SQL.QueryRowContext(ctx, `SELECT plan_id FROM plan_subscriptions GROUP BY plan_id ORDER BY count(*) DESC, plan_id LIMIT 1`)
	if err := row.Scan(&s.PlanID); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "seeded in %s: %s\n", time.Since(start).Round(time.Millisecond), s)
	return s, nil
}

// postgraphileRelations are PostGraphile smart tags for the references steward keeps in a column
// without a foreign key, so that both sides can join them. Steward's migration at start-up resets
// table comments, so they are set again before each run of the kit.
var postgraphileRelations = []string{
	`COMMENT ON TABLE plan_subscriptions IS E'@foreignKey (user_id) references users (id)'`,
	`COMMENT ON TABLE audit_logs IS E'@foreignKey (actor_id) references users (id)'`,
}

func annotateForPostGraphile(ctx context.Context, dsn string) error {
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, stmt := range postgraphileRelations {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// runKit runs the kit's side by side for one query and reads its results.
func runKit(ctx context.Context, kit, work, mode, query, dsn string, st *stewardProc, s *compareSeed, f compareFlags) (comparison, error) {
	if err := annotateForPostGraphile(ctx, dsn); err != nil {
		return comparison{}, err
	}
	id := map[string]string{"group": s.GroupID, "plan": s.PlanID}[query]
	bodies := map[string]string{}
	for _, side := range []string{"steward", "postgraphile"} {
		raw, err := compareQueries.ReadFile("compare/queries/" + side + "-" + query + ".json")
		if err != nil {
			return comparison{}, err
		}
		body, err := withVariables(raw, id)
		if err != nil {
			return comparison{}, fmt.Errorf("%s-%s.json: %w", side, query, err)
		}
		bodies[side] = filepath.Join(work, side+"-"+query+".json")
		if err := os.WriteFile(bodies[side], body, 0o644); err != nil {
			return comparison{}, err
		}
	}
	results := filepath.Join(f.resultsDir, mode+"-"+query+".json")
	fmt.Printf("\n== %s: %s ==\n", mode, query)
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(kit, "pg-side-by-side.sh"))
	cmd.Env = append(os.Environ(), "DSN="+dsn, "PG_SCHEMA=public", "PG_QUERY="+bodies["postgraphile"],
		"TARGET_URL="+st.url+"/graphql", "TARGET_QUERY="+bodies["steward"], "TARGET_NAME=steward",
		"TARGET_HEADERS=Authorization: Bearer "+s.Token, fmt.Sprintf("TARGET_PID=%d", st.cmd.Process.Pid),
		fmt.Sprintf("DURATION=%d", f.duration), fmt.Sprintf("ROUNDS=%d", f.rounds), fmt.Sprintf("WARMUP=%d", f.warmup),
		fmt.Sprintf("CONNECTIONS=%d", f.connections), "RESULTS_JSON="+results)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	// The interrupt reaches the script (its trap stops PostGraphile) rather than a kill.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 15 * time.Second
	var profile chan error
	if st.pprofAddr != "" && f.profileDir != "" {
		secs := 2*f.warmup + 2*f.rounds*f.duration + 30 // + PostGraphile's start and the checks
		out := filepath.Join(f.profileDir, mode+"-"+query+".pprof")
		profile = make(chan error, 1)
		go func() { profile <- fetchProfile(ctx, st.pprofAddr, secs, out) }()
	}
	runErr := cmd.Run()
	if profile != nil {
		if err := <-profile; err != nil {
			fmt.Fprintln(os.Stderr, "cpu profile:", err)
		}
	}
	var exitErr *exec.ExitError
	if runErr != nil && !(errors.As(runErr, &exitErr) && exitErr.ExitCode() == 3) {
		// 3: some requests failed during load; the figures are kept and the table says so.
		return comparison{}, fmt.Errorf("side by side for %s: %w", query, runErr)
	}
	r, err := os.Open(results)
	if err != nil {
		return comparison{}, err
	}
	defer r.Close()
	return parseKitResults(query, r, "steward")
}

// fetchProfile saves a CPU profile of secs seconds from a net/http/pprof endpoint to path.
func fetchProfile(ctx context.Context, addr string, secs int, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs), nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: time.Duration(secs+30) * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof: HTTP %d", resp.StatusCode)
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, resp.Body); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
