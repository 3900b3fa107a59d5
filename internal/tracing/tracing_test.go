package tracing

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

// TestRedactDocument: string literals and comments go, the rest stays as valid GraphQL (commas
// are insignificant there, like white space, so they are not kept).
func TestRedactDocument(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"inline password", `mutation { signin(input: {email: "a@b.c", password: "hunter2"}) { token } }`,
			`mutation{signin(input:{email:"***" password:"***"}){token}}`},
		{"variables stay names", `mutation SignIn($e: String!, $p: String!) { signin(input: {email: $e, password: $p}) { token } }`,
			`mutation SignIn($e:String!$p:String!){signin(input:{email:$e password:$p}){token}}`},
		{"block string and comment", "query { a(x: \"\"\"sk-secret\"\"\") # sk-comment\n b }", `query{a(x:"***")b}`},
		{"numbers, enums and lists stay", `{ users(first: 10, orderBy: {field: NAME}) { x } l(v: [1 2.5]) }`,
			`{users(first:10 orderBy:{field:NAME}){x}l(v:[1 2.5])}`},
		{"fragments", `{ ...F } fragment F on User { id }`, `{...F}fragment F on User{id}`},
		{"unterminated string is cut", `mutation { signin(input: {password: "hunter2`, `mutation{signin(input:{password: …`},
		{"argument value alone", `{email:"a@b.c",password:"hunter2"}`, `{email:"***" password:"***"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := redactDocument(c.in); got != c.want {
				t.Errorf("redactDocument(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func TestRedactAttributes(t *testing.T) {
	in := []attribute.KeyValue{
		attribute.String(queryKey, `mutation { signin(input: {password: "hunter2"}) { token } }`),
		attribute.String(variablesPrefix+"p", "hunter2"),
		attribute.String(argumentsPrefix+"input", `{password:"hunter2"}`),
		attribute.String("gql.resolver.field", "signin"),
	}
	out := redactAttributes(in)
	for _, kv := range out {
		if strings.Contains(kv.Value.Emit(), "hunter2") {
			t.Errorf("%s = %q still holds the secret", kv.Key, kv.Value.Emit())
		}
		if strings.HasPrefix(string(kv.Key), variablesPrefix) {
			t.Errorf("variable attribute %s kept", kv.Key)
		}
	}
	if len(out) != 3 || out[2].Value.AsString() != "signin" {
		t.Errorf("got %v, want the query, the argument and the field kept", out)
	}
	if in[0].Value.AsString() != `mutation { signin(input: {password: "hunter2"}) { token } }` {
		t.Error("redactAttributes changed its input")
	}
}

func TestFromEnv(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{"nothing set: off", nil, "", ""},
		{"base endpoint gets the traces path", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, "http://collector:4318/v1/traces", ""},
		{"base endpoint with a slash", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "https://c.example/otlp/"}, "https://c.example/otlp/v1/traces", ""},
		{"traces endpoint used as is", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:4318/custom"}, "http://b:4318/custom", ""},
		{"SDK disabled", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_SDK_DISABLED": "true"}, "", ""},
		{"exporter none", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_TRACES_EXPORTER": "none"}, "", ""},
		{"http/protobuf accepted", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}, "http://a:4318/v1/traces", ""},
		{"grpc refused", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "", "OTEL_EXPORTER_OTLP_PROTOCOL"},
		{"traces protocol wins", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"}, "http://a:4318/v1/traces", ""},
		{"other exporter refused", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:4318", "OTEL_TRACES_EXPORTER": "zipkin"}, "", "OTEL_TRACES_EXPORTER"},
		{"not a URL", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "collector:4318"}, "", "http:// or https://"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := FromEnv(func(k string) string { return c.env[k] })
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got.Endpoint != c.want || got.Enabled() != (c.want != "") {
				t.Fatalf("got %+v, %v; want endpoint %q", got, err, c.want)
			}
		})
	}
}

type plainHandler struct{}

func (*plainHandler) ServeHTTP(http.ResponseWriter, *http.Request) {}

// TestOffInstallsNothing: without an endpoint there is no GraphQL extension to install, the HTTP
// handler is returned unwrapped and the provider records nothing, so requests pay nothing.
func TestOffInstallsNothing(t *testing.T) {
	tr, err := New(context.Background(), Config{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Enabled() {
		t.Error("tracing is on without an endpoint")
	}
	if ext := tr.GraphQL(); ext != nil {
		t.Errorf("GraphQL() = %T, want nil (no extension installed)", ext)
	}
	h := &plainHandler{}
	if got := tr.HTTP(h); got != http.Handler(h) {
		t.Errorf("HTTP(h) = %T, want h itself", got)
	}
	if _, span := tr.TracerProvider().Tracer("t").Start(context.Background(), "s"); span.IsRecording() {
		t.Error("the provider of tracing that is off records spans")
	}
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	var none *Tracing
	if none.Enabled() || none.GraphQL() != nil {
		t.Error("a nil *Tracing is not off")
	}
}

func TestOnInstallsTheExtension(t *testing.T) {
	tr, err := New(context.Background(), Config{Endpoint: "http://127.0.0.1:1/v1/traces"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // nothing was recorded; do not wait for the unreachable collector
		_ = tr.Shutdown(ctx)
	}()
	if !tr.Enabled() || tr.GraphQL() == nil {
		t.Fatalf("enabled %v, extension %v; want both", tr.Enabled(), tr.GraphQL())
	}
	if tr.GraphQL().ExtensionName() != "OpenTelemetry" {
		t.Errorf("extension %q, want otelgqlgen's", tr.GraphQL().ExtensionName())
	}
}
