package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// buildBinary compiles cmd/steward once for the test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "steward")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("building steward: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startReplica runs the binary as one replica with env and waits until it is ready.
func startReplica(t *testing.T, bin string, env map[string]string) *st.Server {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "STEWARD_LOG_FORMAT=json")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	log := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("replica at %s did not shut down on SIGINT", addr)
		}
		if t.Failed() {
			t.Logf("replica %s log:\n%s", addr, log.String())
		}
	})
	url := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(url + "/readyz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica did not become ready: %v\n%s", err, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return &st.Server{URL: url, HTTP: http.DefaultClient, Backend: dbtest.Postgres}
}

// TestTwoReplicas runs two steward processes on one PostgreSQL database and one Redis, as behind
// a load balancer, and checks that nothing is lost between them.
func TestTwoReplicas(t *testing.T) {
	if os.Getenv(dbtest.PostgresEnv) == "" || os.Getenv(st.RedisEnv) == "" {
		t.Skipf("%s and %s must both be set: skipping the two-replica test", dbtest.PostgresEnv, st.RedisEnv)
	}
	bin := buildBinary(t)
	env := map[string]string{
		"DATABASE_URL":         dbtest.NewURL(t, dbtest.Postgres),
		"REDIS_URL":            os.Getenv(st.RedisEnv),
		"STEWARD_REDIS_PREFIX": st.NewRedisPrefix(),
		"WEBUI_SECRET_KEY":     st.TestSecret,
		"DEFAULT_USER_ROLE":    "user",
	}
	// Both start at the same moment: migrations must not race.
	started := make(chan *st.Server, 2)
	for range 2 {
		go func() { started <- startReplica(t, bin, env) }()
	}
	a, b := <-started, <-started

	admin := a.Signup(t, "Ada")
	bobOnB := b.Signup(t, "Bob")
	if got := st.Get(b.MustQuery(t, admin.Token, `{ me { role } }`), "me.role"); got != "ADMIN" {
		t.Fatalf("admin seen on the other replica as %v", got)
	}
	if got := st.Get(a.MustQuery(t, bobOnB.Token, `{ me { role } }`), "me.role"); got != "USER" {
		t.Fatalf("second account on the other replica is %v, want USER", got)
	}

	t.Run("an event on one replica reaches a subscriber on the other", func(t *testing.T) {
		ws, ack, err := a.DialWS(t, st.ProtoTransportWS, map[string]any{"token": admin.Token}, nil)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		ws.Subscribe(t, "1", `subscription { auditLogAdded { action } }`, nil)
		time.Sleep(200 * time.Millisecond)
		b.MustQuery(t, admin.Token, `mutation { updateDefaultPermissions(permissions: {chat: {delete: false}}) }`)
		m, err := ws.Next(5 * time.Second)
		if err != nil || m.Type != "next" || !strings.Contains(string(m.Payload), "DEFAULT_PERMISSIONS_UPDATED") {
			t.Fatalf("subscriber on A got %+v, %v", m, err)
		}
	})

	t.Run("a token revoked on one replica is refused by the other", func(t *testing.T) {
		tok := a.Signin(t, admin)
		b.MustQuery(t, tok, `{ me { id } }`)
		a.MustQuery(t, tok, `mutation { signout }`)
		// B cached the credential; A's announcement reaches it within Redis's delivery time.
		for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
			r := b.Query(t, tok, `{ me { id } }`)
			if r.Code() == "UNAUTHENTICATED" {
				break
			}
			if time.Since(start) > 5*time.Second {
				t.Fatalf("revoked token still accepted on B: %s", r.Raw)
			}
		}
	})

	t.Run("a revocation on one replica ends a subscription on the other", func(t *testing.T) {
		tok := a.Signin(t, admin)
		ws, ack, err := b.DialWS(t, st.ProtoTransportWS, map[string]any{"token": tok}, nil)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		ws.Subscribe(t, "1", `subscription { auditLogAdded { action } }`, nil)
		time.Sleep(200 * time.Millisecond)
		a.MustQuery(t, tok, `mutation { signout }`)
		m, err := ws.Next(5 * time.Second)
		if err != nil || m.Type != "complete" {
			t.Fatalf("subscription on B after sign-out on A: %+v, %v; want complete", m, err)
		}
	})

	t.Run("usage recorded on one replica reaches a subscriber on the other", func(t *testing.T) {
		plan := st.Get(a.MustQuery(t, admin.Token, `mutation { createPlan(input: {name: "Team", price: "5.00", currency: "USD",
			quotas: [{metric: REQUESTS, limit: 100}]}) { id } }`), "createPlan.id").(string)
		a.MustQuery(t, admin.Token, `mutation($u: ID!, $p: ID!) { assignPlan(userId: $u, planId: $p) { id } }`, "u", bobOnB.ID, "p", plan)
		ws, ack, err := a.DialWS(t, st.ProtoTransportWS, map[string]any{"token": bobOnB.Token}, nil)
		if err != nil || ack.Type != "connection_ack" {
			t.Fatalf("init: %+v, %v", ack, err)
		}
		ws.Subscribe(t, "1", `subscription { usageUpdated { used } }`, nil)
		time.Sleep(200 * time.Millisecond)
		b.MustQuery(t, admin.Token, `mutation($u: ID!) { recordUsage(input: {userId: $u, metric: TOKENS_INPUT, amount: 42}) { replayed } }`, "u", bobOnB.ID)
		m, err := ws.Next(5 * time.Second)
		if err != nil || m.Type != "next" || !strings.Contains(string(m.Payload), `"used":42`) {
			t.Fatalf("subscriber on A got %+v, %v", m, err)
		}

		// 200 concurrent enforced calls of 1, split across both replicas, against a quota of 100.
		var accepted, refused atomic.Int64
		var wg sync.WaitGroup
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				target := a
				if i%2 == 1 {
					target = b
				}
				r := target.Query(t, admin.Token, `mutation($u: ID!) { recordUsage(input: {userId: $u, metric: REQUESTS, amount: 1, enforce: true}) { replayed } }`, "u", bobOnB.ID)
				switch r.Code() {
				case "":
					accepted.Add(1)
				case "QUOTA_EXCEEDED":
					refused.Add(1)
				default:
					t.Errorf("unexpected answer: %s", r.Raw)
				}
			}()
		}
		wg.Wait()
		if accepted.Load() != 100 || refused.Load() != 100 {
			t.Fatalf("accepted %d, refused %d; want exactly 100 and 100", accepted.Load(), refused.Load())
		}
		used := st.Get(a.MustQuery(t, admin.Token, `query($u: ID!) { checkQuota(userId: $u, metric: REQUESTS, amount: 0) { used } }`, "u", bobOnB.ID), "checkQuota.used")
		if used != float64(100) {
			t.Fatalf("used after the race = %v, want 100", used)
		}
	})

	t.Run("a configuration change on one replica is seen by the other", func(t *testing.T) {
		// Read on B first so its cache holds the old value, then change it on A.
		b.MustQuery(t, "", `mutation { signup(input: {name: "Cy", email: "cy@example.com", password: "long enough pw"}) { token } }`)
		a.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {enableSignup: false}) { enableSignup } }`)
		deadline := time.Now().Add(time.Second)
		for {
			r := b.Query(t, "", `mutation { signup(input: {name: "Di", email: "di@example.com", password: "long enough pw"}) { token } }`)
			if r.Code() == "FORBIDDEN" {
				break
			}
			if r.Code() != "" || time.Now().After(deadline) {
				t.Fatalf("sign-up on B after A disabled it: %s", r.Raw)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
