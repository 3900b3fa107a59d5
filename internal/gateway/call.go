package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/billing"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

// usage is OpenAI's usage object.
type usage struct {
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
}

// outcome is what a relayed answer produced.
type outcome struct {
	// reported is the upstream's usage, nil when it sent none.
	reported *usage
	// text is the answer's text, counted when the upstream reports no usage.
	text string
	// interrupted is true when the client or the upstream went away mid-answer.
	interrupted bool
}

// settleTimeout bounds settling after the client has gone (its request context is cancelled).
const settleTimeout = 15 * time.Second

// serveCall serves one metered call.
func (g *Gateway) serveCall(w http.ResponseWriter, r *http.Request, k kind) {
	t := newTiming(g.cfg.ServerTiming)
	c, ok := g.admit(w, r)
	if !ok {
		return
	}
	t.mark("auth")
	ctx := c.ctx
	body, err := g.readBody(r)
	if err != nil {
		g.fail(ctx, w, err)
		return
	}
	req, apiErr := parseRequest(k, body)
	if apiErr != nil {
		apiErr.write(w)
		return
	}
	t.mark("parse")
	m, err := g.cfg.Models.Route(ctx, req.model)
	if errs.CodeOf(err) == errs.CodeNotFound || (err == nil && !m.Active) {
		modelNotFound(req.model).write(w)
		return
	}
	if err != nil {
		g.fail(ctx, w, err)
		return
	}
	t.mark("route")
	upstreamModel := m.Upstream
	ups, err := g.cfg.Upstreams.For(ctx, upstreamModel)
	if err != nil {
		g.fail(ctx, w, err)
		return
	}
	if len(ups) == 0 {
		g.logger.WarnContext(ctx, "no upstream serves model", "model", m.ID, "upstream_model", upstreamModel)
		unavailable("no connection serves the model `"+req.model+"`; an administrator must add one", 0).write(w)
		return
	}
	t.mark("upstreams")
	outBody, err := req.upstreamBody(upstreamModel)
	if err != nil {
		g.fail(ctx, w, err)
		return
	}
	prompt := max(req.promptTokens(g.prompts), 1)
	amounts := map[metric.Metric]int64{metric.Requests: 1, metric.TokensInput: prompt}
	if k != embeddings {
		answer := req.maxTokens
		if answer == 0 {
			answer = g.cfg.DefaultMaxTokens
		}
		amounts[metric.TokensOutput] = answer
	}
	t.mark("count")
	meterCtx := authz.As(ctx, authz.Gateway)
	call, err := g.cfg.Meter.HoldCall(meterCtx, billing.CallHold{UserID: c.userID, Amounts: amounts, TTL: g.cfg.HoldTTL})
	if err != nil {
		g.fail(ctx, w, err)
		return
	}
	t.mark("hold")
	// From here on the hold is settled or released whatever happens, on a context the client's
	// departure does not cancel.
	settled := false
	defer func() {
		if settled {
			return
		}
		rctx, cancel := context.WithTimeout(context.WithoutCancel(meterCtx), settleTimeout)
		defer cancel()
		if err := g.cfg.Meter.ReleaseCall(rctx, call); err != nil {
			g.logger.ErrorContext(ctx, "releasing a gateway call's quota hold (it expires by itself)", "err", err)
		}
	}()
	a, err := g.forward(r.Context(), ups, k.path(), outBody, req.stream, t)
	if err != nil {
		if r.Context().Err() != nil {
			return
		}
		g.logger.ErrorContext(ctx, "gateway call found no upstream", "model", m.ID, "err", err)
		upstreamFailed("the model's upstream could not be reached").write(w)
		return
	}
	defer a.cancel()
	defer a.resp.Body.Close()
	if a.resp.StatusCode < 200 || a.resp.StatusCode > 299 {
		g.relayFailure(ctx, w, a)
		return
	}
	t.header(w.Header())
	var out outcome
	if req.stream {
		idle := a.upstream.Timeout
		if idle <= 0 {
			idle = DefaultUpstreamTimeout
		}
		out = g.relayStream(w, a.resp, req, idle, a.cancel)
	} else {
		out, err = g.relayJSON(r.Context(), w, a.resp, k)
		if err != nil {
			g.logger.WarnContext(ctx, "relaying upstream answer", "upstream", a.upstream.ID, "err", err)
			if !out.interrupted {
				upstreamFailed("the upstream's answer could not be read").write(w)
				return // nothing was delivered: the hold is released
			}
		}
	}
	used := g.usageOf(req, out, prompt)
	meta := map[string]any{"source": "gateway", "endpoint": k.path(), "upstream": a.upstream.ID, "usageReported": out.reported != nil}
	if c.keyID != "" {
		meta["apiKeyId"] = c.keyID
	}
	if c.forwardedBy != "" {
		meta["forwardedBy"] = c.forwardedBy
	}
	if out.interrupted {
		meta["interrupted"] = true
	}
	var chat *string
	if c.chatID != "" {
		chat = &c.chatID
	}
	// The answer is complete: settle after the handler returns, so that the client's response
	// ends now rather than after the settlement's transaction. Close waits for these.
	settled = true
	g.settling.Add(1)
	go func() {
		defer g.settling.Done()
		g.settle(ctx, meterCtx, call, billing.CallUsage{Amounts: used, ModelID: &m.ID, ChatID: chat, Metadata: meta})
	}()
}

// settle records a finished call's usage, on a context the client's departure does not cancel;
// if that fails it releases the hold (which otherwise expires by itself).
func (g *Gateway) settle(ctx, meterCtx context.Context, call billing.Call, u billing.CallUsage) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(meterCtx), settleTimeout)
	defer cancel()
	err := g.cfg.Meter.SettleCall(sctx, call, u)
	if err == nil {
		return
	}
	g.metrics.settleFailed()
	g.logger.ErrorContext(ctx, "settling a gateway call", "err", err, "user", call.UserID)
	if err := g.cfg.Meter.ReleaseCall(sctx, call); err != nil {
		g.logger.ErrorContext(ctx, "releasing a gateway call's quota hold (it expires by itself)", "err", err)
	}
}

// usageOf is what a call used: the upstream's report, or the counted prompt and answer.
func (g *Gateway) usageOf(req *request, out outcome, prompt int64) map[metric.Metric]int64 {
	used := map[metric.Metric]int64{metric.Requests: 1}
	if out.reported != nil {
		used[metric.TokensInput] = out.reported.PromptTokens
		used[metric.TokensOutput] = out.reported.CompletionTokens
	} else {
		used[metric.TokensInput] = prompt
		used[metric.TokensOutput] = int64(g.cfg.Counter.Count(req.model, out.text))
	}
	if req.kind == embeddings {
		delete(used, metric.TokensOutput)
	}
	return used
}

// maxAnswerBytes bounds a non-streamed answer.
const maxAnswerBytes = 64 << 20

// relayJSON copies a non-streamed answer and reads its usage.
// A client that leaves while the upstream works ends the upstream call; the call is settled with
// its prompt, which the upstream has read, and no answer.
func (g *Gateway) relayJSON(ctx context.Context, w http.ResponseWriter, resp *http.Response, k kind) (outcome, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		if ctx.Err() != nil {
			return outcome{interrupted: true}, nil
		}
		return outcome{}, err
	}
	if len(body) > maxAnswerBytes {
		return outcome{}, fmt.Errorf("answer larger than %d bytes", maxAnswerBytes)
	}
	var parsed struct {
		Usage   *usage `json:"usage"`
		Choices []struct {
			Text    string `json:"text"`
			Message struct {
				Content   string          `json:"content"`
				ToolCalls json.RawMessage `json:"tool_calls"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(body, &parsed); err != nil {
		return outcome{}, fmt.Errorf("upstream answer is not JSON: %w", err)
	}
	out := outcome{reported: parsed.Usage}
	if out.reported == nil && k != embeddings {
		for _, c := range parsed.Choices {
			out.text += c.Text + c.Message.Content
			if len(c.Message.ToolCalls) > 0 && string(c.Message.ToolCalls) != "null" {
				out.text += string(c.Message.ToolCalls)
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(body); err != nil {
		out.interrupted = true // the answer was produced: it is settled, whoever read it
	}
	return out, nil
}

// relayFailure answers an upstream's refusal. Its own client errors (a bad parameter, its rate
// limit) reach the client as they are; a refusal of steward's own credentials, or a model it does
// not know, is an administrator's problem and is logged rather than shown.
func (g *Gateway) relayFailure(ctx context.Context, w http.ResponseWriter, a *attempt) {
	status := a.resp.StatusCode
	body, _ := io.ReadAll(io.LimitReader(a.resp.Body, 64<<10))
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound:
		g.logger.ErrorContext(ctx, "upstream refused the gateway's call", "upstream", a.upstream.ID, "status", status)
		upstreamFailed("the model's upstream refused the call; an administrator must check its connection").write(w)
	case status >= 500:
		g.logger.WarnContext(ctx, "upstream failed", "upstream", a.upstream.ID, "status", status)
		upstreamFailed(fmt.Sprintf("the model's upstream failed (status %d)", status)).write(w)
	default:
		var shaped struct {
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(body, &shaped) != nil || len(shaped.Error) == 0 {
			(&apiError{Status: status, Type: "invalid_request_error", Message: fmt.Sprintf("the model's upstream refused the request (status %d)", status)}).write(w)
			return
		}
		if ra := a.resp.Header.Get("Retry-After"); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}
