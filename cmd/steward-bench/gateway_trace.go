package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http/httptrace"
	"slices"
	"strings"
	"time"

	"github.com/steward-dev/steward/internal/gateway/fakeupstream"
)

// callTrace is where one streamed call's time went (--trace-slow): the client's connection and
// request (httptrace), the gateway's steps (its Server-Timing header), the fake's stamps, and
// the relay of every chunk (the time from the fake sending it to this client reading it).
type callTrace struct {
	t0                        time.Time
	conn                      string // how this client had its connection: reused, idle or new
	gotConn, wrote, firstByte time.Time
	serverTiming              string
	received                  time.Time // when the request reached the fake
	// relays are per chunk: read time less the fake's send time.
	relays []time.Duration
	reads  []time.Time
	first  time.Duration
	last   time.Duration
}

// attach adds the client-side trace to ctx.
func (ct *callTrace) attach(ctx context.Context) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			ct.gotConn = time.Now()
			switch {
			case info.WasIdle:
				ct.conn = "idle"
			case info.Reused:
				ct.conn = "reused"
			default:
				ct.conn = "new"
			}
		},
		TLSHandshakeDone:     func(tls.ConnectionState, error) {},
		WroteRequest:         func(httptrace.WroteRequestInfo) { ct.wrote = time.Now() },
		GotFirstResponseByte: func() { ct.firstByte = time.Now() },
	})
}

// chunk records one stamped chunk read at read.
func (ct *callTrace) chunk(line []byte, read time.Time) {
	received, _ := stampOf(line, fakeupstream.StampReceived)
	sent, _ := stampOf(line, fakeupstream.StampSent)
	if ct.received.IsZero() {
		ct.received = time.Unix(0, received)
	}
	ct.relays = append(ct.relays, read.Sub(time.Unix(0, sent)))
	ct.reads = append(ct.reads, read)
}

// line describes the call in one line: offsets from sending the request, in milliseconds.
func (ct *callTrace) line(since time.Time) string {
	at := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return fmt.Sprintf("%.1f", ms(t.Sub(ct.t0)))
	}
	worst, wi := time.Duration(0), 0
	for i, r := range ct.relays {
		if r > worst {
			worst, wi = r, i
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "at %6.3fs first %+.1f last %+.1f | conn %s got %s wrote %s", ct.t0.Sub(since).Seconds(), ms(ct.first), ms(ct.last), ct.conn, at(ct.gotConn), at(ct.wrote))
	if ct.serverTiming != "" {
		fmt.Fprintf(&b, " | steward %s", compactServerTiming(ct.serverTiming, ct.t0))
	}
	fmt.Fprintf(&b, " | fake got %s, headers %s | relay first %.1f, worst %.1f (chunk %d at %s)", at(ct.received), at(ct.firstByte),
		ms(ct.relays[0]), ms(worst), wi, at(ct.reads[wi]))
	return b.String()
}

// compactServerTiming shortens the gateway's header: its start as an offset from t0, then each
// step's duration.
func compactServerTiming(h string, t0 time.Time) string {
	var out []string
	for _, e := range timingEntries(h) {
		name, rest := e[0], e[1]
		switch {
		case name == "start":
			var ns int64
			fmt.Sscanf(strings.Trim(strings.TrimPrefix(rest, "desc="), `"`), "%d", &ns)
			out = append(out, fmt.Sprintf("@%.1f", ms(time.Unix(0, ns).Sub(t0))))
		case strings.HasPrefix(rest, "dur="):
			out = append(out, name+" "+strings.TrimPrefix(rest, "dur="))
		default:
			out = append(out, name+" "+strings.Trim(strings.TrimPrefix(rest, "desc="), `"`))
		}
	}
	return strings.Join(out, " ")
}

// timingEntries splits a Server-Timing header into its entries: each a name and what follows
// its first ";" (a dur= or desc= parameter).
func timingEntries(h string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(h, ",") {
		name, rest, _ := strings.Cut(strings.TrimSpace(part), ";")
		out = append(out, [2]string{name, rest})
	}
	return out
}

// printSlow lists the slowest traced calls of the measured part.
func (o *overheads) printSlow(w io.Writer, name string, calls int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := slices.Clone(o.slowCalls)
	slices.SortFunc(s, func(a, b *callTrace) int { return int(max(b.first, b.last) - max(a.first, a.last)) })
	fmt.Fprintf(w, "  %s: %d of %d calls over the threshold; new connections: %d from this client, %d from the gateway to the upstream\n",
		name, len(s), calls, o.newConns, o.newUpstreamConns)
	if steps := stepQuantiles(s); steps != "" {
		fmt.Fprintf(w, "    steward's steps over these calls, p50/p90 in ms: %s\n", steps)
	}
	for i, ct := range s {
		if i == 12 {
			break
		}
		fmt.Fprintf(w, "    %s\n", ct.line(o.since))
	}
}

// stepQuantiles gives the median and 90th percentile of each step in the gateway's Server-Timing
// header over calls, in the header's order: which steps a typical traced call spends its time in.
func stepQuantiles(calls []*callTrace) string {
	var names []string
	durs := map[string][]float64{}
	for _, ct := range calls {
		for _, e := range timingEntries(ct.serverTiming) {
			name, rest := e[0], e[1]
			var d float64
			if _, err := fmt.Sscanf(rest, "dur=%g", &d); err != nil {
				continue
			}
			if _, ok := durs[name]; !ok {
				names = append(names, name)
			}
			durs[name] = append(durs[name], d)
		}
	}
	var out []string
	for _, name := range names {
		d := durs[name]
		slices.Sort(d)
		out = append(out, fmt.Sprintf("%s %.3f/%.3f", name, d[len(d)/2], d[len(d)*9/10]))
	}
	return strings.Join(out, ", ")
}
