package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// otlpReceiver is an OTLP/HTTP trace receiver, as a collector would run: it keeps every request
// body as sent (to search for secrets) and the spans decoded from it.
type otlpReceiver struct {
	mu       sync.Mutex
	raw      bytes.Buffer
	spans    []*tracepb.Span
	services []string
}

func newOTLPReceiver(t testing.TB) (*otlpReceiver, string) {
	rc := &otlpReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			http.Error(w, "want protobuf at /v1/traces", http.StatusNotFound)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			body = zr
		}
		b, err := io.ReadAll(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var req coltracepb.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rc.mu.Lock()
		rc.raw.Write(b)
		for _, rs := range req.ResourceSpans {
			for _, kv := range rs.GetResource().GetAttributes() {
				if kv.Key == "service.name" {
					rc.services = append(rc.services, kv.GetValue().GetStringValue())
				}
			}
			for _, ss := range rs.ScopeSpans {
				rc.spans = append(rc.spans, ss.Spans...)
			}
		}
		rc.mu.Unlock()
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

// named returns the spans called name.
func (rc *otlpReceiver) named(name string) []*tracepb.Span {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []*tracepb.Span
	for _, s := range rc.spans {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

func attr(s *tracepb.Span, key string) *commonpb.AnyValue {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value
		}
	}
	return nil
}

// TestTracesAreExportedWithoutSecrets runs operations through a server whose OTLP endpoint is a
// local receiver: each operation and root field arrives as a span, under the HTTP request's span
// and the caller's traceparent, carrying the request id its response names; no password, token,
// API key or signing secret is anywhere in what was exported.
func TestTracesAreExportedWithoutSecrets(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		rc, endpoint := newOTLPReceiver(t)
		s := st.New(t, b, st.WithEnv(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "ENABLE_API_KEYS": "true"}))
		admin := s.Signup(t, "Ada")

		const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
		signin := s.Do(t, st.Request{
			Query:     `mutation SignIn($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`,
			Variables: map[string]any{"e": admin.Email, "p": admin.Password},
			Header:    map[string]string{"traceparent": "00-" + traceID + "-" + parentID + "-01", "X-Forwarded-For": "203.0.113.9"},
		})
		token, _ := st.Get(signin.Data, "signin.token").(string)
		if token == "" {
			t.Fatalf("signin: %s", signin.Raw)
		}
		inline := s.Query(t, "", `mutation Inline { signin(input: {email: "`+admin.Email+`", password: "`+admin.Password+`"}) { token } }`)
		inlineToken, _ := st.Get(inline.Data, "signin.token").(string)
		wrongPassword := "a-wrong-password-42"
		if r := s.Query(t, "", `mutation Wrong($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`,
			"e", admin.Email, "p", wrongPassword); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("wrong password: %s", r.Raw)
		}
		key, _ := st.Get(s.MustQuery(t, token, `mutation Key { createAPIKey(input: {name: "gateway"}) { key } }`), "createAPIKey.key").(string)
		me := s.Do(t, st.Request{Query: `query Me { me { id email } }`, Token: key})
		if me.Code() != "" {
			t.Fatalf("me with the API key: %s", me.Raw)
		}
		// Closing the app is the server's shutdown: it must export what is still buffered.
		if err := s.App.Close(); err != nil {
			t.Fatalf("closing: %v", err)
		}

		ops := rc.named("SignIn")
		if len(ops) != 1 {
			t.Fatalf("%d spans named SignIn, want 1", len(ops))
		}
		op := ops[0]
		if got := hex.EncodeToString(op.TraceId); got != traceID {
			t.Errorf("SignIn trace id %s, want the caller's %s", got, traceID)
		}
		if got := attr(op, "steward.request_id").GetStringValue(); got == "" || got != signin.Header.Get("X-Request-Id") {
			t.Errorf("SignIn request id %q, want the response's X-Request-Id %q", got, signin.Header.Get("X-Request-Id"))
		}
		var httpSpan *tracepb.Span
		for _, s := range rc.spans {
			if hex.EncodeToString(s.SpanId) == hex.EncodeToString(op.ParentSpanId) {
				httpSpan = s
			}
		}
		if httpSpan == nil || httpSpan.Kind != tracepb.Span_SPAN_KIND_SERVER || hex.EncodeToString(httpSpan.ParentSpanId) != parentID {
			t.Fatalf("SignIn's parent %v, want the HTTP server span, child of the caller's span %s", httpSpan, parentID)
		}
		// No proxy is trusted, so the forwarded address a client wrote is not its address.
		if got := attr(httpSpan, "client.address").GetStringValue(); got != "127.0.0.1" {
			t.Errorf("the HTTP span's client.address %q, want the peer 127.0.0.1", got)
		}
		fields := rc.named("Mutation/signin")
		if len(fields) != 3 {
			t.Errorf("%d Mutation/signin spans, want 3 (one per sign-in)", len(fields))
		}
		for _, name := range []string{"Inline", "Key", "Me", "Query/me"} {
			if len(rc.named(name)) != 1 {
				t.Errorf("%d spans named %s, want 1", len(rc.named(name)), name)
			}
		}
		if wrong := rc.named("Wrong"); len(wrong) != 1 || wrong[0].Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR ||
			wrong[0].Status.GetMessage() != "UNAUTHENTICATED" {
			t.Errorf("the failed sign-in's span %v, want status ERROR with its code only", wrong)
		}
		if q := attr(rc.named("Inline")[0], "gql.request.query").GetStringValue(); !strings.Contains(q, "signin") || !strings.Contains(q, `"***"`) {
			t.Errorf("Inline's document %q, want it with its literals redacted", q)
		}
		if len(rc.services) == 0 || rc.services[0] != "steward" {
			t.Errorf("service names %v, want steward", rc.services)
		}
		for name, secret := range map[string]string{"password": admin.Password, "wrong password": wrongPassword, "signup token": admin.Token,
			"signin token": token, "inline signin token": inlineToken, "API key": key, "signing secret": st.TestSecret} {
			if secret == "" {
				t.Fatalf("no %s to look for", name)
			}
			if bytes.Contains(rc.raw.Bytes(), []byte(secret)) {
				t.Errorf("the exported spans contain the %s", name)
			}
		}
	})
}

// TestNoTracesWithoutEndpoint: without an endpoint nothing is exported, even for a caller that
// sends a traceparent asking for its request to be sampled.
func TestNoTracesWithoutEndpoint(t *testing.T) {
	rc, _ := newOTLPReceiver(t)
	s := st.New(t, dbtest.SQLite, st.WithEnv(map[string]string{"OTEL_SERVICE_NAME": "steward-test"}))
	r := s.Do(t, st.Request{Query: `{ __typename }`, Header: map[string]string{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}})
	if r.Code() != "" || r.Header.Get("traceparent") != "" {
		t.Fatalf("response %s, headers %v", r.Raw, r.Header)
	}
	_ = s.App.Close()
	if len(rc.spans) != 0 {
		t.Errorf("%d spans exported without an endpoint", len(rc.spans))
	}
}
