package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/steward-dev/steward/internal/settings"
)

// Upstream is one OpenAI-compatible API the gateway forwards to.
type Upstream struct {
	// ID names the connection in logs and usage metadata (never its URL or key).
	ID string
	// BaseURL is the API's base, e.g. https://api.openai.com/v1; paths are appended to it.
	BaseURL string
	// Key is sent as Authorization: Bearer when set.
	Key string
	// Timeout bounds the wait for the upstream's response headers (its first byte for streams),
	// and then the silence between two chunks of a stream; 0 means DefaultUpstreamTimeout. A
	// stream runs as long as the upstream keeps sending.
	Timeout time.Duration
}

// DefaultUpstreamTimeout is how long an upstream may take to start answering.
const DefaultUpstreamTimeout = 60 * time.Second

// SettingsSource reads the connections section (internal/settings.Store).
type SettingsSource interface {
	Get(ctx context.Context, key string, dst any) (bool, error)
}

// FromSettings serves the upstreams of the connections configuration: every enabled OpenAI
// connection whose model list names the model, or that lists none (it serves every model), in the
// configured order. Changes apply to the next call.
type FromSettings struct{ Source SettingsSource }

var _ Upstreams = FromSettings{}

// For returns the upstreams of model.
func (f FromSettings) For(ctx context.Context, model string) ([]Upstream, error) {
	c := settings.DefaultConnections()
	if _, err := f.Source.Get(ctx, settings.ConnectionsKey, &c); err != nil {
		return nil, err
	}
	var out []Upstream
	for _, oc := range c.OpenAI {
		if !oc.Enabled || (len(oc.ModelIDs) > 0 && !slices.Contains(oc.ModelIDs, model)) {
			continue
		}
		out = append(out, Upstream{ID: oc.ID, BaseURL: oc.URL, Key: oc.Key, Timeout: time.Duration(oc.TimeoutSeconds) * time.Second})
	}
	return out, nil
}

// Configured reports whether any upstream is enabled, so that the gateway prepares for calls.
func (f FromSettings) Configured(ctx context.Context) (bool, error) {
	c := settings.DefaultConnections()
	if _, err := f.Source.Get(ctx, settings.ConnectionsKey, &c); err != nil {
		return false, err
	}
	return slices.ContainsFunc(c.OpenAI, func(oc settings.OpenAIConnection) bool { return oc.Enabled }), nil
}

// Static is a fixed list of upstreams serving every model (tests and benchmarks).
type Static []Upstream

// For returns every upstream.
func (s Static) For(context.Context, string) ([]Upstream, error) { return s, nil }

// attempt is an upstream's answer whose headers arrived.
type attempt struct {
	resp     *http.Response
	upstream Upstream
	// cancel ends the upstream call; call it once the body is read.
	cancel context.CancelFunc
}

// errNoUpstream is the failure of every upstream.
var errNoUpstream = errors.New("no upstream answered")

// forward posts body to path on each upstream in turn until one answers with headers and a
// status below 500. A connection failure, a timeout before the headers or a 5xx fails over to
// the next: nothing has reached the client yet, so trying again is safe. The last upstream's 5xx
// is returned as it is. ctx is the client's: when it ends, the upstream call ends.
func (g *Gateway) forward(ctx context.Context, ups []Upstream, path string, body []byte, stream bool, t *timing) (*attempt, error) {
	var lastErr error
	for i, up := range ups {
		a, err := g.try(ctx, up, path, body, stream, t)
		if ctx.Err() != nil {
			if a != nil {
				a.cancel()
			}
			return nil, ctx.Err()
		}
		if err != nil {
			g.logger.WarnContext(ctx, "upstream failed", "upstream", up.ID, "err", err)
			lastErr = err
			continue
		}
		if a.resp.StatusCode >= 500 && i < len(ups)-1 {
			g.logger.WarnContext(ctx, "upstream failed", "upstream", up.ID, "status", a.resp.StatusCode)
			a.resp.Body.Close()
			a.cancel()
			lastErr = fmt.Errorf("status %d", a.resp.StatusCode)
			continue
		}
		return a, nil
	}
	return nil, fmt.Errorf("%w: %v", errNoUpstream, lastErr)
}

// try makes one upstream call and waits for its headers within the upstream's timeout.
func (g *Gateway) try(ctx context.Context, up Upstream, path string, body []byte, stream bool, t *timing) (*attempt, error) {
	callCtx, cancel := context.WithCancel(ctx)
	timeout := up.Timeout
	if timeout <= 0 {
		timeout = DefaultUpstreamTimeout
	}
	var timedOut atomic.Bool
	timer := time.AfterFunc(timeout, func() { timedOut.Store(true); cancel() })
	req, err := http.NewRequestWithContext(callCtx, http.MethodPost, strings.TrimRight(up.BaseURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		timer.Stop()
		cancel()
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if stream {
		req.Header.Set("Accept", "text/event-stream")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	if up.Key != "" {
		req.Header.Set("Authorization", "Bearer "+up.Key)
	}
	start := time.Now()
	resp, err := g.client.Do(t.trace(req))
	stopped := timer.Stop()
	if err == nil {
		g.metrics.observeUpstream(up.ID, time.Since(start))
	}
	if err != nil {
		cancel()
		if !stopped && timedOut.Load() {
			return nil, fmt.Errorf("no answer within %s", timeout)
		}
		return nil, err
	}
	return &attempt{resp: resp, upstream: up, cancel: cancel}, nil
}
