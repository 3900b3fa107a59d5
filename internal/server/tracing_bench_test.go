package server_test

import (
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// BenchmarkTracing measures a signed-in query through the whole HTTP stack with tracing off (no
// endpoint: nothing installed) and on (every request sampled, spans exported to a local
// receiver), so the cost of tracing per request is the difference.
func BenchmarkTracing(b *testing.B) {
	for _, c := range []struct {
		name string
		on   bool
	}{{"off", false}, {"on", true}} {
		b.Run(c.name, func(b *testing.B) {
			env := map[string]string{}
			if c.on {
				_, endpoint := newOTLPReceiver(b)
				env["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
			}
			s := st.New(b, dbtest.SQLite, st.WithEnv(env))
			admin := s.Signup(b, "Ada")
			req := st.Request{Query: `query Me { me { id name } }`, Token: admin.Token}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if r := s.Do(b, req); r.Code() != "" {
					b.Fatal(r.Raw)
				}
			}
		})
	}
}
