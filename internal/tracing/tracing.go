// Package tracing exports OpenTelemetry traces over OTLP/HTTP when an endpoint is configured: a
// span per HTTP request (honouring an incoming W3C traceparent), a span per GraphQL operation and
// one per root field (through the maintained otelgqlgen extension). Without an endpoint nothing is
// installed and requests pay nothing.
//
// No span carries what a client typed that could be a secret: variables are never recorded,
// string literals of documents and arguments are redacted before export (redact.go), and errors
// are recorded by their codes only, never their messages.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/ravilushqa/otelgqlgen"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	otelcodes "go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Config says where traces go. Only what decides whether tracing is on is read here; the exporter
// and the SDK read the other standard variables themselves from the process environment
// (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, _CERTIFICATE, their _TRACES_ forms,
// OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG).
type Config struct {
	// Endpoint is the URL spans are posted to; empty turns tracing off.
	Endpoint string
}

// Enabled reports whether c turns tracing on.
func (c Config) Enabled() bool { return c.Endpoint != "" }

// FromEnv reads the configuration from OpenTelemetry's standard variables:
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used as is) or OTEL_EXPORTER_OTLP_ENDPOINT (a base URL, to
// which /v1/traces is added). OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn tracing
// off whatever the endpoint; a protocol other than http/protobuf, another exporter or an endpoint
// that is not an http(s) URL is an error, so a misconfiguration is found at start, not by the
// traces that never arrive.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	if strings.EqualFold(get("OTEL_SDK_DISABLED"), "true") {
		return Config{}, nil
	}
	switch exporter := get("OTEL_TRACES_EXPORTER"); exporter {
	case "none":
		return Config{}, nil
	case "", "otlp":
	default:
		return Config{}, fmt.Errorf("OTEL_TRACES_EXPORTER=%q is not supported: steward exports traces with otlp (or none)", exporter)
	}
	endpoint := get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if endpoint == "" {
		if base := get("OTEL_EXPORTER_OTLP_ENDPOINT"); base != "" {
			endpoint = strings.TrimSuffix(base, "/") + "/v1/traces"
		}
	}
	if endpoint == "" {
		return Config{}, nil
	}
	for _, k := range []string{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		if p := get(k); p != "" {
			if p != "http/protobuf" {
				return Config{}, fmt.Errorf("%s=%q is not supported: steward sends traces over OTLP/HTTP (http/protobuf, usually port 4318)", k, p)
			}
			break
		}
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Config{}, errors.New("the OTLP traces endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) must be an http:// or https:// URL")
	}
	return Config{Endpoint: endpoint}, nil
}

// Options are what New needs beyond the configuration.
type Options struct {
	// Attributes returns the attributes of every span started in ctx (the request id); nil adds none.
	Attributes func(ctx context.Context) []attribute.KeyValue
	// Logger receives export failures; nil means slog.Default().
	Logger *slog.Logger
}

// Tracing is the process's tracer provider, or nothing when tracing is off. The zero value and a
// nil *Tracing are off.
type Tracing struct {
	provider *sdktrace.TracerProvider
}

// New builds the exporter and the tracer provider when cfg has an endpoint. It opens no
// connection: spans are sent in batches in the background, and an unreachable collector costs
// dropped spans and a logged error, never a request.
func New(ctx context.Context, cfg Config, opts Options) (*Tracing, error) {
	if !cfg.Enabled() {
		return &Tracing{}, nil
	}
	exporter, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(cfg.Endpoint))
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	// The environment comes last so that OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
	res, err := resource.New(ctx, resource.WithTelemetrySDK(), resource.WithAttributes(attribute.String("service.name", "steward")),
		resource.WithFromEnv())
	if err != nil {
		return nil, fmt.Errorf("OpenTelemetry resource: %w", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	// The SDK reports export failures through this process-wide hook only.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { logger.Warn("exporting traces", "err", err) }))
	provider := sdktrace.NewTracerProvider(sdktrace.WithResource(res),
		sdktrace.WithSpanProcessor(redactor{SpanProcessor: sdktrace.NewBatchSpanProcessor(exporter), attributes: opts.Attributes}))
	return &Tracing{provider: provider}, nil
}

// Enabled reports whether spans are recorded and exported.
func (t *Tracing) Enabled() bool { return t != nil && t.provider != nil }

// TracerProvider is the provider spans are made with: a no-op one when tracing is off.
func (t *Tracing) TracerProvider() trace.TracerProvider {
	if !t.Enabled() {
		return trace.NewNoopTracerProvider()
	}
	return t.provider
}

// Shutdown exports the spans still buffered and stops the exporter; call it once the server has
// stopped serving. It gives up when ctx ends.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if !t.Enabled() {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

// propagator reads and writes W3C traceparent only: baggage from an untrusted client is not
// carried into the process.
var propagator = propagation.TraceContext{}

// HTTP wraps next with a span per request, the child of the caller's traceparent when it sends
// one. Websockets and SSE streams, which stay open for as long as clients listen, and scrapes of
// health and metrics get none (each operation of a stream still gets its GraphQL span). When
// tracing is off it returns next itself.
func (t *Tracing) HTTP(next http.Handler) http.Handler {
	if !t.Enabled() {
		return next
	}
	return otelhttp.NewHandler(next, "http", otelhttp.WithTracerProvider(t.provider), otelhttp.WithPropagators(propagator),
		otelhttp.WithFilter(traced))
}

// traced tells which requests get an HTTP span.
func traced(r *http.Request) bool {
	switch r.URL.Path {
	case "/metrics", "/healthz", "/readyz":
		return false
	}
	return !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") && !strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// GraphQL returns the gqlgen extension that traces operations and root fields, or nil when
// tracing is off (then nothing is installed). Register it before every other extension, so that
// its span covers them and sees the errors as clients get them.
func (t *Tracing) GraphQL() graphql.HandlerExtension {
	if !t.Enabled() {
		return nil
	}
	return otelgqlgen.Middleware(
		otelgqlgen.WithTracerProvider(t.provider),
		// Variables hold passwords, API keys and tokens: never record them.
		otelgqlgen.WithoutVariables(),
		// A span per root field (one domain call each); a span per field of every row of a
		// page would cost more than the page.
		otelgqlgen.WithCreateSpanFromFields(func(fc *graphql.FieldContext) bool { return rootTypes[fc.Object] }),
		otelgqlgen.WithSpanKindSelector(func(string) trace.SpanKind { return trace.SpanKindInternal }),
		otelgqlgen.WithInterceptResponseResultHandlerFunc(func(resp *graphql.Response, span trace.Span) *graphql.Response {
			if resp != nil {
				recordCodes(span, resp.Errors)
			}
			return resp
		}),
		otelgqlgen.WithInterceptFieldsResultHandlerFunc(func(resp any, err error, list gqlerror.List, span trace.Span) (any, error) {
			recordCodes(span, list)
			return resp, err
		}),
	)
}

var rootTypes = map[string]bool{"Query": true, "Mutation": true, "Subscription": true}

// errorCodesKey lists the extensions.code of the errors of a response or field.
const errorCodesKey = attribute.Key("graphql.error.codes")

// recordCodes marks span failed with its errors' codes. Messages are not recorded: a parse or
// validation message quotes the client's document, and the request id on the span finds the
// whole story in the log.
func recordCodes(span trace.Span, list gqlerror.List) {
	if len(list) == 0 {
		return
	}
	codes := make([]string, 0, len(list))
	for _, e := range list {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = "NONE"
		}
		codes = append(codes, code)
	}
	span.SetAttributes(errorCodesKey.StringSlice(codes))
	span.SetStatus(otelcodes.Error, strings.Join(codes, ", "))
}
