package gateway

import (
	"crypto/tls"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"time"
)

// timing records when a call passed each step before its answer started, for the Server-Timing
// response header (Config.ServerTiming): a debugging aid that lets a load generator tell, for
// each slow call, which step it waited in. A nil *timing records nothing, so calls pay nothing
// when it is off.
type timing struct {
	start time.Time
	// mu guards marks and conn: the transport reports some steps from its own goroutines.
	mu    sync.Mutex
	marks []mark
	// conn says how the upstream connection was had: "reused", "idle" (reused after sitting
	// idle) or "new" (dialed for this call).
	conn string
}

type mark struct {
	name string
	at   time.Time
}

func newTiming(on bool) *timing {
	if !on {
		return nil
	}
	return &timing{start: time.Now(), marks: make([]mark, 0, 12)}
}

// mark records that the step name ended now.
func (t *timing) mark(name string) {
	if t != nil {
		now := time.Now()
		t.mu.Lock()
		t.marks = append(t.marks, mark{name, now})
		t.mu.Unlock()
	}
}

// trace adds the upstream connection's steps to ctx's request (httptrace).
func (t *timing) trace(req *http.Request) *http.Request {
	if t == nil {
		return req
	}
	ct := &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			t.mark("upconn")
			t.mu.Lock()
			defer t.mu.Unlock()
			switch {
			case info.WasIdle:
				t.conn = "idle"
			case info.Reused:
				t.conn = "reused"
			default:
				t.conn = "new"
			}
		},
		ConnectStart:         func(string, string) { t.mark("updialstart") },
		ConnectDone:          func(string, string, error) { t.mark("updial") },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { t.mark("uptls") },
		WroteRequest:         func(httptrace.WroteRequestInfo) { t.mark("upwrote") },
		GotFirstResponseByte: func() { t.mark("upfirstbyte") },
	}
	return req.WithContext(httptrace.WithClientTrace(req.Context(), ct))
}

// header writes the steps as a Server-Timing header: each step's duration since the previous
// one in milliseconds, and "start" with the call's arrival as Unix nanoseconds, so that a client
// in the same process can line the steps up with its own clock.
func (t *timing) header(h http.Header) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	b.WriteString(`start;desc="` + strconv.FormatInt(t.start.UnixNano(), 10) + `"`)
	prev := t.start
	for _, m := range t.marks {
		b.WriteString(", " + m.name + ";dur=" + strconv.FormatFloat(float64(m.at.Sub(prev).Microseconds())/1000, 'f', 3, 64))
		prev = m.at
	}
	if t.conn != "" {
		b.WriteString(`, conn;desc="` + t.conn + `"`)
	}
	h.Set("Server-Timing", b.String())
}
