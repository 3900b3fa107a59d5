package yookassa_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/payments"
	"github.com/steward-dev/steward/internal/payments/yookassa"
	"github.com/steward-dev/steward/internal/payments/yookassa/yookassatest"
)

const (
	shopID = "123456"
	secret = "test_SuperSecretKey_abc123"
)

func newFake(t *testing.T) *yookassatest.Server {
	t.Helper()
	fake := yookassatest.NewServer(shopID, secret)
	t.Cleanup(fake.Close)
	return fake
}

func newClient(t *testing.T, baseURL string, mutate ...func(*yookassa.Config)) *yookassa.Client {
	t.Helper()
	cfg := yookassa.Config{ShopID: shopID, SecretKey: secret, BaseURL: baseURL, Timeout: 5 * time.Second}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := yookassa.New(cfg)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return c
}

func input(key string) payments.CreateInput {
	return payments.CreateInput{
		IdempotencyKey: key,
		AmountMinor:    19990,
		Currency:       "RUB",
		Description:    "Подписка «Про» на месяц",
		ReturnURL:      "https://steward.example/billing/return",
		Metadata:       map[string]string{"subscription_id": "sub-1", "user_id": "u-1"},
	}
}

// assertNoSecret fails if err's text (or that of anything it wraps) shows the secret key.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), secret) {
			t.Fatalf("error text %q contains the secret key", e.Error())
		}
	}
}

func providerError(t *testing.T, err error) *payments.ProviderError {
	t.Helper()
	var pe *payments.ProviderError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want a *payments.ProviderError", err, err)
	}
	return pe
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name           string
		cfg            yookassa.Config
		wantNotConfig  bool
		wantFields     []string
		wantValidInput bool
	}{
		{name: "valid with defaults", cfg: yookassa.Config{ShopID: "1", SecretKey: "s"}, wantValidInput: true},
		{name: "valid https base", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", BaseURL: "https://proxy.example/v3/"}, wantValidInput: true},
		{name: "http loopback allowed", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", BaseURL: "http://127.0.0.1:8080/v3"}, wantValidInput: true},
		{name: "http localhost allowed", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", BaseURL: "http://localhost/v3"}, wantValidInput: true},
		{name: "no credentials", cfg: yookassa.Config{}, wantNotConfig: true},
		{name: "no credentials but base url", cfg: yookassa.Config{BaseURL: "https://x"}, wantNotConfig: true},
		{name: "missing secret", cfg: yookassa.Config{ShopID: "1"}, wantFields: []string{"yookassa.secretKey"}},
		{name: "missing shop", cfg: yookassa.Config{SecretKey: "s"}, wantFields: []string{"yookassa.shopId"}},
		{name: "colon in shop", cfg: yookassa.Config{ShopID: "1:2", SecretKey: "s"}, wantFields: []string{"yookassa.shopId"}},
		{name: "plain http remote", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", BaseURL: "http://api.yookassa.ru/v3"}, wantFields: []string{"yookassa.baseUrl"}},
		{name: "credentials in url", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", BaseURL: "https://u:p@api.yookassa.ru/v3"}, wantFields: []string{"yookassa.baseUrl"}},
		{name: "relative url", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", BaseURL: "/v3"}, wantFields: []string{"yookassa.baseUrl"}},
		{name: "query in url", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", BaseURL: "https://x/v3?a=b"}, wantFields: []string{"yookassa.baseUrl"}},
		{name: "negative timeout", cfg: yookassa.Config{ShopID: "1", SecretKey: "s", Timeout: -time.Second}, wantFields: []string{"yookassa.timeout"}},
		{name: "several problems", cfg: yookassa.Config{ShopID: "1", BaseURL: "ftp://x", Timeout: -1},
			wantFields: []string{"yookassa.secretKey", "yookassa.baseUrl", "yookassa.timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			_, newErr := yookassa.New(tt.cfg)
			if (err == nil) != (newErr == nil) {
				t.Errorf("Validate() = %v but New() error = %v", err, newErr)
			}
			switch {
			case tt.wantValidInput:
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
			case tt.wantNotConfig:
				if !payments.IsNotConfigured(err) {
					t.Fatalf("Validate() = %v, want payments.ErrNotConfigured", err)
				}
			default:
				var got []string
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					ee, ok := errs.As(e)
					if !ok || ee.Code != errs.CodeBadUserInput {
						t.Fatalf("joined error %v is not BAD_USER_INPUT", e)
					}
					got = append(got, ee.Field)
				}
				if strings.Join(got, ",") != strings.Join(tt.wantFields, ",") {
					t.Errorf("Validate() fields = %v, want %v (err = %v)", got, tt.wantFields, err)
				}
			}
		})
	}
}

func TestName(t *testing.T) {
	if got := newClient(t, "").Name(); got != "yookassa" {
		t.Errorf("Name() = %q, want %q", got, "yookassa")
	}
}

func TestCreateAndGetPayment(t *testing.T) {
	fake := newFake(t)
	created := time.Date(2025, 3, 1, 12, 30, 45, 129_000_000, time.UTC)
	fake.SetNow(func() time.Time { return created })
	c := newClient(t, fake.URL())
	ctx := context.Background()

	got, err := c.CreatePayment(ctx, input("key-1"))
	if err != nil {
		t.Fatalf("CreatePayment() error = %v", err)
	}
	if got.ID == "" || got.Status != payments.Pending || got.Paid || got.Refunded {
		t.Errorf("CreatePayment() = %+v, want a new unpaid pending payment", got)
	}
	if got.AmountMinor != 19990 || got.Currency != "RUB" {
		t.Errorf("amount = %d %s, want 19990 RUB", got.AmountMinor, got.Currency)
	}
	if !strings.HasPrefix(got.ConfirmationURL, "http") {
		t.Errorf("ConfirmationURL = %q, want a URL", got.ConfirmationURL)
	}
	if got.Metadata["subscription_id"] != "sub-1" || got.Metadata["user_id"] != "u-1" || len(got.Metadata) != 2 {
		t.Errorf("Metadata = %v, want the input's", got.Metadata)
	}
	if !got.CreatedAt.Equal(created) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v", got.CreatedAt, created)
	}
	stored, ok := fake.Payment(got.ID)
	if !ok || stored.AmountMinor != 19990 {
		t.Fatalf("fake.Payment(%q) = %+v, %v; want the stored payment", got.ID, stored, ok)
	}

	tests := []struct {
		name      string
		setup     func() error
		wantState payments.Status
		wantPaid  bool
		wantRef   int64
		wantConf  bool
	}{
		{name: "still pending", setup: func() error { return nil }, wantState: payments.Pending, wantConf: true},
		{name: "succeeded", setup: func() error { return fake.SetStatus(got.ID, payments.Succeeded) }, wantState: payments.Succeeded, wantPaid: true},
		{name: "partly refunded", setup: func() error { return fake.SetRefunded(got.ID, 990) }, wantState: payments.Succeeded, wantPaid: true, wantRef: 990},
		{name: "forced unpaid", setup: func() error { return fake.SetPaid(got.ID, false) }, wantState: payments.Succeeded, wantRef: 990},
		{name: "canceled", setup: func() error { return fake.SetStatus(got.ID, payments.Canceled) }, wantState: payments.Canceled, wantRef: 990},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.setup(); err != nil {
				t.Fatal(err)
			}
			p, err := c.GetPayment(ctx, got.ID)
			if err != nil {
				t.Fatalf("GetPayment() error = %v", err)
			}
			if p.ID != got.ID || p.Status != tt.wantState || p.Paid != tt.wantPaid ||
				p.RefundedMinor != tt.wantRef || p.Refunded != (tt.wantRef > 0) || (p.ConfirmationURL != "") != tt.wantConf {
				t.Errorf("GetPayment() = %+v, want status %s paid %v refunded %d confirmation %v",
					p, tt.wantState, tt.wantPaid, tt.wantRef, tt.wantConf)
			}
			if p.AmountMinor != 19990 || p.Metadata["subscription_id"] != "sub-1" {
				t.Errorf("GetPayment() amount/metadata = %d %v, want 19990 and the input's metadata", p.AmountMinor, p.Metadata)
			}
		})
	}
}

func TestCreateJPYAndNoMetadata(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	in := input("jpy")
	in.AmountMinor, in.Currency, in.Metadata, in.Description = 500, "JPY", nil, ""
	p, err := c.CreatePayment(context.Background(), in)
	if err != nil {
		t.Fatalf("CreatePayment() error = %v", err)
	}
	if p.AmountMinor != 500 || p.Currency != "JPY" || len(p.Metadata) != 0 {
		t.Errorf("CreatePayment() = %+v, want 500 JPY and no metadata", p)
	}
}

func TestCreateIsIdempotent(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	ctx := context.Background()

	first, err := c.CreatePayment(ctx, input("same-key"))
	if err != nil {
		t.Fatalf("first CreatePayment() error = %v", err)
	}
	second, err := c.CreatePayment(ctx, input("same-key"))
	if err != nil {
		t.Fatalf("second CreatePayment() error = %v", err)
	}
	if second.ID != first.ID {
		t.Errorf("second ID = %q, want %q (same key, same payment)", second.ID, first.ID)
	}
	other, err := c.CreatePayment(ctx, input("other-key"))
	if err != nil {
		t.Fatalf("CreatePayment(other-key) error = %v", err)
	}
	if other.ID == first.ID {
		t.Errorf("other key got the same ID %q, want a new payment", other.ID)
	}
	if got, want := fake.Count(), 2; got != want {
		t.Errorf("fake.Count() = %d, want %d", got, want)
	}

	changed := input("same-key")
	changed.AmountMinor = 100
	_, err = c.CreatePayment(ctx, changed)
	pe := providerError(t, err)
	if pe.StatusCode != http.StatusBadRequest || pe.Temporary || !strings.Contains(err.Error(), "Idempotence key duplicated") {
		t.Errorf("reused key with other input: error = %v (status %d, temporary %v), want 400 with YooKassa's description",
			err, pe.StatusCode, pe.Temporary)
	}
}

func TestCreateIsIdempotentUnderConcurrency(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			p, err := c.CreatePayment(context.Background(), input("racy"))
			if err != nil {
				t.Errorf("CreatePayment() error = %v", err)
				return
			}
			ids[i] = p.ID
		})
	}
	wg.Wait()
	for i := range ids {
		if ids[i] != ids[0] {
			t.Fatalf("ids = %v, want all equal", ids)
		}
	}
	if got := fake.Count(); got != 1 {
		t.Errorf("fake.Count() = %d, want 1", got)
	}
}

func TestCreateRejectsBadInputWithoutCalling(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	tests := []struct {
		name      string
		mutate    func(*payments.CreateInput)
		wantField string
	}{
		{name: "no key", mutate: func(in *payments.CreateInput) { in.IdempotencyKey = "" }, wantField: "idempotencyKey"},
		{name: "long key", mutate: func(in *payments.CreateInput) { in.IdempotencyKey = strings.Repeat("k", 65) }, wantField: "idempotencyKey"},
		{name: "zero amount", mutate: func(in *payments.CreateInput) { in.AmountMinor = 0 }, wantField: "amount"},
		{name: "bad currency", mutate: func(in *payments.CreateInput) { in.Currency = "XYZ" }, wantField: "currency"},
		{name: "bad return url", mutate: func(in *payments.CreateInput) { in.ReturnURL = "nope" }, wantField: "returnUrl"},
		{name: "long description", mutate: func(in *payments.CreateInput) { in.Description = strings.Repeat("я", 129) }, wantField: "description"},
		{name: "too many metadata keys", mutate: func(in *payments.CreateInput) {
			in.Metadata = map[string]string{}
			for i := range 17 {
				in.Metadata[fmt.Sprint("k", i)] = "v"
			}
		}, wantField: "metadata"},
		{name: "long metadata key", mutate: func(in *payments.CreateInput) { in.Metadata = map[string]string{strings.Repeat("k", 33): "v"} }, wantField: "metadata"},
		{name: "long metadata value", mutate: func(in *payments.CreateInput) { in.Metadata = map[string]string{"k": strings.Repeat("v", 513)} }, wantField: "metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input("k")
			tt.mutate(&in)
			_, err := c.CreatePayment(context.Background(), in)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.CodeBadUserInput || e.Field != tt.wantField {
				t.Errorf("CreatePayment() error = %v, want BAD_USER_INPUT on %q", err, tt.wantField)
			}
		})
	}
	if got := fake.Requests(); got != 0 {
		t.Errorf("fake.Requests() = %d, want 0 (invalid input is never sent)", got)
	}
}

func TestGetPaymentNotFound(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	_, err := c.GetPayment(context.Background(), "2f1c0000-000f-5000-8000-000000000000")
	if !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("GetPayment() error = %v (code %s), want NOT_FOUND", err, errs.CodeOf(err))
	}
	if pe := providerError(t, err); pe.StatusCode != http.StatusNotFound {
		t.Errorf("StatusCode = %d, want 404", pe.StatusCode)
	}
}

func TestGetPaymentBadID(t *testing.T) {
	fake := newFake(t)
	c := newClient(t, fake.URL())
	for _, id := range []string{"", strings.Repeat("x", 65)} {
		_, err := c.GetPayment(context.Background(), id)
		if errs.CodeOf(err) != errs.CodeBadUserInput {
			t.Errorf("GetPayment(%q) error = %v, want BAD_USER_INPUT", id, err)
		}
	}
	// An id with path characters is escaped, not interpreted as a path.
	_, err := c.GetPayment(context.Background(), "../payments")
	if !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("GetPayment(../payments) error = %v, want NOT_FOUND", err)
	}
}

func TestWrongCredentials(t *testing.T) {
	fake := newFake(t)
	c, err := yookassa.New(yookassa.Config{ShopID: shopID, SecretKey: secret + "-wrong", BaseURL: fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"create": func() error { _, err := c.CreatePayment(context.Background(), input("k")); return err },
		"get":    func() error { _, err := c.GetPayment(context.Background(), "id"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			pe := providerError(t, err)
			if pe.StatusCode != http.StatusUnauthorized || pe.Code != "invalid_credentials" || pe.Temporary {
				t.Errorf("error = %v (status %d code %q temporary %v), want 401 invalid_credentials", err, pe.StatusCode, pe.Code, pe.Temporary)
			}
			if !strings.Contains(err.Error(), "Login or password is incorrect") {
				t.Errorf("error %q lacks YooKassa's description", err)
			}
			if errs.CodeOf(err) != errs.CodeInternal {
				t.Errorf("CodeOf = %s, want INTERNAL (a server misconfiguration, not the user's fault)", errs.CodeOf(err))
			}
			assertNoSecret(t, err)
		})
	}
}

func TestSecretEchoedByServerIsRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pass, _ := r.BasicAuth()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"type": "error", "code": "invalid_request", "description": "bad key " + pass, "parameter": pass,
		})
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	_, err := c.GetPayment(context.Background(), "x")
	providerError(t, err)
	assertNoSecret(t, err)
	if !strings.Contains(err.Error(), "bad key [redacted]") {
		t.Errorf("error = %q, want the description with the secret redacted", err)
	}
}

func TestServerErrors(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		code          string
		desc          string
		wantTemporary bool
	}{
		{name: "500", status: 500, code: "internal_server_error", desc: "Internal server error", wantTemporary: true},
		{name: "503", status: 503, code: "internal_server_error", desc: "Try again later", wantTemporary: true},
		{name: "429", status: 429, code: "too_many_requests", desc: "Too many requests", wantTemporary: true},
		{name: "403", status: 403, code: "forbidden", desc: "Insufficient permissions", wantTemporary: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t)
			c := newClient(t, fake.URL())
			fake.FailNext(tt.status, tt.code, tt.desc)
			_, err := c.CreatePayment(context.Background(), input("k"))
			pe := providerError(t, err)
			if pe.StatusCode != tt.status || pe.Code != tt.code || pe.Temporary != tt.wantTemporary {
				t.Errorf("error = %v (status %d code %q temporary %v), want status %d code %q temporary %v",
					err, pe.StatusCode, pe.Code, pe.Temporary, tt.status, tt.code, tt.wantTemporary)
			}
			if !strings.Contains(err.Error(), tt.desc) {
				t.Errorf("error %q lacks description %q", err, tt.desc)
			}
			assertNoSecret(t, err)
			// The failure was used once; a retry with the same key now succeeds.
			if _, err := c.CreatePayment(context.Background(), input("k")); err != nil {
				t.Errorf("retry error = %v, want nil", err)
			}
		})
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html>nginx</html>")
	}))
	t.Cleanup(srv.Close)
	_, err := newClient(t, srv.URL).GetPayment(context.Background(), "x")
	pe := providerError(t, err)
	if pe.StatusCode != 502 || !pe.Temporary || pe.Description != "Bad Gateway" || strings.Contains(err.Error(), "nginx") {
		t.Errorf("error = %v (%+v), want 502 Bad Gateway without the body", err, pe)
	}
}

func TestUnreadablePayment(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{name: "not json", body: "{"},
		{name: "no id", body: `{"status":"pending","amount":{"value":"1.00","currency":"RUB"}}`},
		{name: "unknown status", body: `{"id":"p","status":"weird","amount":{"value":"1.00","currency":"RUB"}}`},
		{name: "unknown currency", body: `{"id":"p","status":"pending","amount":{"value":"1.00","currency":"XXX"}}`},
		{name: "float-like amount", body: `{"id":"p","status":"pending","amount":{"value":"1e2","currency":"RUB"}}`},
		{name: "bad refund", body: `{"id":"p","status":"pending","amount":{"value":"1.00","currency":"RUB"},"refunded_amount":{"value":"-1","currency":"RUB"}}`},
		{name: "refund in other currency", body: `{"id":"p","status":"pending","amount":{"value":"1.00","currency":"RUB"},"refunded_amount":{"value":"1.00","currency":"USD"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			_, err := newClient(t, srv.URL).GetPayment(context.Background(), "p")
			providerError(t, err)
			if errs.CodeOf(err) != errs.CodeInternal {
				t.Errorf("CodeOf(%v) = %s, want INTERNAL (a provider fault is not the user's bad input)", err, errs.CodeOf(err))
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	fake := newFake(t)
	fake.SetDelay(2 * time.Second)
	c := newClient(t, fake.URL(), func(cfg *yookassa.Config) { cfg.Timeout = 50 * time.Millisecond })
	start := time.Now()
	_, err := c.CreatePayment(context.Background(), input("k"))
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("CreatePayment took %v, want about the 50ms timeout", elapsed)
	}
	pe := providerError(t, err)
	if !errors.Is(err, context.DeadlineExceeded) || pe.StatusCode != 0 || !pe.Temporary {
		t.Errorf("error = %v (%+v), want a temporary network error wrapping context.DeadlineExceeded", err, pe)
	}
	assertNoSecret(t, err)
}

func TestCallerCancellation(t *testing.T) {
	fake := newFake(t)
	fake.SetDelay(2 * time.Second)
	c := newClient(t, fake.URL())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := c.GetPayment(ctx, "x")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("GetPayment() error = %v, want context.Canceled", err)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := newClient(t, url).GetPayment(context.Background(), "x")
	pe := providerError(t, err)
	if pe.StatusCode != 0 || !pe.Temporary || errors.Unwrap(err) == nil {
		t.Errorf("error = %v (%+v), want a temporary network error with its cause", err, pe)
	}
	assertNoSecret(t, err)
}

func TestProcessingIsRetriedWithSameKey(t *testing.T) {
	fake := newFake(t)
	var calls atomic.Int32
	var keys sync.Map
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys.Store(r.Header.Get("Idempotence-Key"), true)
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, `{"type":"processing","description":"Request accepted","retry_after":10}`)
			return
		}
		// Forward to the fake, keeping path, headers and body.
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, strings.TrimSuffix(fake.URL(), "/v3")+r.URL.Path, r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(proxy.Close)

	p, err := newClient(t, proxy.URL+"/v3").CreatePayment(context.Background(), input("slow"))
	if err != nil {
		t.Fatalf("CreatePayment() error = %v", err)
	}
	if p.ID == "" || calls.Load() != 3 {
		t.Errorf("payment %+v after %d calls, want a payment after 3", p, calls.Load())
	}
	n := 0
	keys.Range(func(k, _ any) bool { n++; return k == "slow" })
	if n != 1 {
		t.Errorf("saw %d distinct idempotence keys, want 1", n)
	}
}

func TestProcessingGivesUp(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"type":"processing","retry_after":1}`)
	}))
	t.Cleanup(srv.Close)
	_, err := newClient(t, srv.URL).CreatePayment(context.Background(), input("k"))
	pe := providerError(t, err)
	if pe.StatusCode != http.StatusAccepted || !pe.Temporary || calls.Load() != 4 {
		t.Errorf("error = %v after %d calls, want a temporary 202 error after 4", err, calls.Load())
	}
}

func TestRequestShape(t *testing.T) {
	var got struct {
		method, path, key, contentType, user, pass string
		body                                       map[string]any
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.method, got.path = r.Method, r.URL.Path
		got.key, got.contentType = r.Header.Get("Idempotence-Key"), r.Header.Get("Content-Type")
		got.user, got.pass, _ = r.BasicAuth()
		_ = json.NewDecoder(r.Body).Decode(&got.body)
		_, _ = io.WriteString(w, `{"id":"p1","status":"pending","paid":false,"amount":{"value":"199.90","currency":"RUB"},
			"confirmation":{"type":"redirect","confirmation_url":"https://yoomoney.ru/checkout/p1"},
			"created_at":"2019-01-22T14:30:45.129Z","metadata":{"n":1,"s":"x"}}`)
	}))
	t.Cleanup(srv.Close)
	p, err := newClient(t, srv.URL+"/v3/").CreatePayment(context.Background(), input("key-42"))
	if err != nil {
		t.Fatalf("CreatePayment() error = %v", err)
	}
	if got.method != http.MethodPost || got.path != "/v3/payments" || got.key != "key-42" ||
		got.contentType != "application/json" || got.user != shopID || got.pass != secret {
		t.Errorf("request = %s %s key %q type %q auth %q, want POST /v3/payments key-42 JSON with Basic auth",
			got.method, got.path, got.key, got.contentType, got.user)
	}
	wantBody := `{"amount":{"currency":"RUB","value":"199.90"},"capture":true,` +
		`"confirmation":{"return_url":"https://steward.example/billing/return","type":"redirect"},` +
		`"description":"Подписка «Про» на месяц","metadata":{"subscription_id":"sub-1","user_id":"u-1"}}`
	if b, _ := json.Marshal(got.body); string(b) != wantBody {
		t.Errorf("body = %s, want %s", b, wantBody)
	}
	wantCreated := time.Date(2019, 1, 22, 14, 30, 45, 129_000_000, time.UTC)
	if p.ID != "p1" || p.ConfirmationURL != "https://yoomoney.ru/checkout/p1" || !p.CreatedAt.Equal(wantCreated) ||
		p.Metadata["n"] != "1" || p.Metadata["s"] != "x" || p.Refunded {
		t.Errorf("payment = %+v, want the decoded response", p)
	}
}
