package tracing

import (
	"context"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// Attribute keys the GraphQL tracer (otelgqlgen) writes that may hold what a client typed.
const (
	queryKey        = "gql.request.query"
	variablesPrefix = "gql.request.variables."
	argumentsPrefix = "gql.resolver.args."
)

// redactedLiteral stands for every string literal of a document: passwords, API keys and tokens
// written inline (signin(input: {password: "..."})) are strings, while the shape of the operation,
// its names, enums and numbers are what a trace is read for.
const redactedLiteral = `"***"`

// redactDocument returns a GraphQL document (or a fragment of one, such as an argument's value)
// with every string and block string literal replaced and comments dropped, tokens written
// compactly. A document that does not lex is cut where it stops lexing: its rest, which may be an
// unterminated string, is never copied.
func redactDocument(doc string) string {
	lex := lexer.New(&ast.Source{Input: doc})
	var b strings.Builder
	b.Grow(len(doc))
	prevWord := false
	for {
		tok, err := lex.ReadToken()
		if err != nil {
			b.WriteString(" …")
			return b.String()
		}
		var text string
		word := true
		switch tok.Kind {
		case lexer.EOF:
			return b.String()
		case lexer.Comment:
			continue
		case lexer.String, lexer.BlockString:
			text = redactedLiteral
		case lexer.Name, lexer.Int, lexer.Float:
			text = tok.Value
		default:
			text, word = tok.Kind.String(), false // punctuation: "{", "$", "..."
		}
		if word && prevWord {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		prevWord = word
	}
}

// redactAttributes returns attrs without request variables, and with the document and resolver
// arguments redacted; attrs itself is not changed.
func redactAttributes(attrs []attribute.KeyValue) []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, len(attrs))
	for _, kv := range attrs {
		key := string(kv.Key)
		switch {
		case strings.HasPrefix(key, variablesPrefix):
			continue
		case key == queryKey || strings.HasPrefix(key, argumentsPrefix):
			kv = attribute.String(key, redactDocument(kv.Value.Emit()))
		}
		out = append(out, kv)
	}
	return out
}

// redactor is a span processor that hands spans on to the next (the exporting batch processor)
// with what a client typed redacted, and gives each span the attributes of its request (its id)
// when it starts. It is the last step before spans leave the process, so whatever instrumentation
// records, no variable or string literal is exported.
type redactor struct {
	sdktrace.SpanProcessor
	// attributes returns the attributes every span started in ctx carries; nil adds none.
	attributes func(ctx context.Context) []attribute.KeyValue
}

func (r redactor) OnStart(ctx context.Context, s sdktrace.ReadWriteSpan) {
	if r.attributes != nil {
		s.SetAttributes(r.attributes(ctx)...)
	}
	r.SpanProcessor.OnStart(ctx, s)
}

// redactedSpan is a finished span whose attributes have been redacted.
type redactedSpan struct {
	sdktrace.ReadOnlySpan
	attrs []attribute.KeyValue
}

func (s redactedSpan) Attributes() []attribute.KeyValue { return s.attrs }

func (r redactor) OnEnd(s sdktrace.ReadOnlySpan) {
	r.SpanProcessor.OnEnd(redactedSpan{ReadOnlySpan: s, attrs: redactAttributes(s.Attributes())})
}
