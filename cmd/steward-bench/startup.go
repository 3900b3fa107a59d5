package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func init() {
	register(Scenario{Name: "startup", Summary: "start-up time of the steward binary (process start to /readyz) and its memory after a few requests, fresh and existing SQLite database", Run: runStartup})
}

// startRun is one start of the binary.
type startRun struct {
	Database string  `json:"database"` // "fresh" or "existing"
	ReadyMs  float64 `json:"readyMs"`  // process start to the first 200 from /readyz
	// CPUMs is the CPU time (user+system, all threads) the process used until ready: what a
	// shared machine disturbs less than the wall time.
	CPUMs float64 `json:"cpuMs"`
	// Idle is the memory after the idle wait that follows ready, before any request: what a
	// started server holds while nobody uses it.
	Idle memoryKiB `json:"idle"`
	// Visited is the memory after a sign-up (or sign-in), one users query and another idle wait:
	// what a server holds once it has been used.
	Visited memoryKiB `json:"afterFirstVisit"`
}

// memoryKiB is a process's resident memory from /proc/<pid>/status: RssAnon is heap, stacks and
// runtime; RssFile is the binary's (and shared libraries') pages mapped from the page cache.
type memoryKiB struct {
	RSSKiB     int64 `json:"rssKiB"`
	RSSAnonKiB int64 `json:"rssAnonKiB"`
	RSSFileKiB int64 `json:"rssFileKiB"`
}

// readMemory reads pid's resident memory (Linux only).
func readMemory(pid int) (memoryKiB, error) {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memoryKiB{}, fmt.Errorf("reading the process's memory (Linux only): %w", err)
	}
	return memoryKiB{statusKiB(st, "VmRSS"), statusKiB(st, "RssAnon"), statusKiB(st, "RssFile")}, nil
}

func (m memoryKiB) String() string {
	return fmt.Sprintf("RSS %5.1f MB (anon %4.1f, file %4.1f)", mb(m.RSSKiB), mb(m.RSSAnonKiB), mb(m.RSSFileKiB))
}

// runStartup starts the real binary the way an operator does (steward --db <file> --addr ...),
// polls /readyz every millisecond and reports the time to ready and the CPU used until then;
// it reads the process's memory after --idle, then signs up the first account, reads one users
// page, waits --idle again and reads the memory again. Each run starts once on a fresh database
// and once more on the database it left.
func runStartup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("startup", flag.ContinueOnError)
	bin := fs.String("bin", "./steward", "the steward binary (go build -o steward ./cmd/steward)")
	runs := fs.Int("runs", 3, "runs (each: a fresh database, then the same database again)")
	idle := fs.Duration("idle", 5*time.Second, "idle time before each reading of the memory (after ready, and after the first requests)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	exe, err := filepath.Abs(*bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(exe); err != nil {
		return fmt.Errorf("the steward binary: %w (build it with go build -o steward ./cmd/steward)", err)
	}
	var all []startRun
	for i := 0; i < *runs; i++ {
		dir, err := os.MkdirTemp("", "steward-startup-")
		if err != nil {
			return err
		}
		for _, kind := range []string{"fresh", "existing"} {
			r, err := startOnce(ctx, exe, dir, kind, *idle)
			if err != nil {
				_ = os.RemoveAll(dir)
				return fmt.Errorf("run %d, %s database: %w", i+1, kind, err)
			}
			all = append(all, r)
			if !*asJSON {
				fmt.Printf("%-8s ready %6.1f ms (CPU %5.1f ms)   idle: %v   after a first visit: %v\n",
					r.Database, r.ReadyMs, r.CPUMs, r.Idle, r.Visited)
			}
		}
		_ = os.RemoveAll(dir)
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(all)
	}
	return nil
}

func mb(kib int64) float64 { return float64(kib) / 1024 }

// startOnce starts the binary on dir/steward.db, measures it and stops it.
func startOnce(ctx context.Context, exe, dir, kind string, idle time.Duration) (startRun, error) {
	r := startRun{Database: kind}
	addr, err := freeAddr()
	if err != nil {
		return r, err
	}
	cmd := exec.Command(exe, "serve", "--addr", addr, "--db", filepath.Join(dir, "steward.db"))
	cmd.Dir = dir
	cmd.Env = childEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	base := "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			return r, fmt.Errorf("steward exited before it was ready (%v): %s", err, lastLines(stderr.String(), 5))
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(time.Millisecond):
		}
		if time.Since(t0) > 30*time.Second {
			return r, errors.New("not ready after 30 s")
		}
	}
	r.ReadyMs = float64(time.Since(t0).Microseconds()) / 1000
	r.CPUMs = float64(processCPUOf(cmd.Process.Pid)) / 1e6
	if err := sleepCtx(ctx, idle); err != nil {
		return r, err
	}
	if r.Idle, err = readMemory(cmd.Process.Pid); err != nil {
		return r, err
	}

	// A few requests, as a first visit does: the first account signs up (or signs in again).
	tg := &target{URL: base, HTTP: client}
	creds := map[string]any{"email": "startup@example.com", "password": "startup-password"}
	var out struct {
		Signup struct{ Token string } `json:"signup"`
		Signin struct{ Token string } `json:"signin"`
	}
	if kind == "fresh" {
		creds["name"] = "Startup Admin"
		err = tg.graphql(ctx, "", `mutation($in: SignupInput!) { signup(input: $in) { token } }`, map[string]any{"in": creds}, &out)
	} else {
		err = tg.graphql(ctx, "", `mutation($in: SigninInput!) { signin(input: $in) { token } }`, map[string]any{"in": creds}, &out)
	}
	if err != nil {
		return r, err
	}
	token := out.Signup.Token + out.Signin.Token
	if err := tg.graphql(ctx, token, `{ users(first: 20) { totalCount edges { node { id name email role groups { id name } } } } }`, nil, nil); err != nil {
		return r, err
	}
	if err := sleepCtx(ctx, idle); err != nil {
		return r, err
	}
	if r.Visited, err = readMemory(cmd.Process.Pid); err != nil {
		return r, err
	}

	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	return r, nil
}

// childEnv is this process's environment without the settings that would point the child at
// another database or at Redis.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DATABASE_URL", "REDIS_URL", "STEWARD_ADDR", "STEWARD_PPROF_ADDR":
			continue
		}
		env = append(env, kv)
	}
	return env
}

// processCPUOf sums the CPU time of pid's threads in nanoseconds (/proc/<pid>/task/*/schedstat,
// whose first field is the time on CPU): Go's threads live as long as the process, so the sum is
// the process's CPU time.
func processCPUOf(pid int) int64 {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 0 {
			n, _ := strconv.ParseInt(f[0], 10, 64)
			total += n
		}
	}
	if total == 0 { // no schedstat: fall back on the clock ticks of /proc/<pid>/stat
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err == nil {
			if i := bytes.LastIndexByte(b, ')'); i > 0 {
				f := strings.Fields(string(b[i+1:]))
				if len(f) > 12 {
					u, _ := strconv.ParseInt(f[11], 10, 64)
					s, _ := strconv.ParseInt(f[12], 10, 64)
					total = (u + s) * int64(time.Second/100)
				}
			}
		}
	}
	return total
}

// statusKiB reads a "Name:   123 kB" line of /proc/<pid>/status.
func statusKiB(status []byte, name string) int64 {
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// sleepCtx waits d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
