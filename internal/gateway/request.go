package gateway

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// kind is one of the metered endpoints.
type kind int

const (
	chatCompletions kind = iota
	completions
	embeddings
)

func (k kind) path() string {
	switch k {
	case completions:
		return "/completions"
	case embeddings:
		return "/embeddings"
	}
	return "/chat/completions"
}

// request is a client's JSON body, kept field by field so that whatever the gateway does not
// read (tools, response_format, provider extensions) reaches the upstream unchanged.
type request struct {
	kind   kind
	fields map[string]json.RawMessage
	model  string
	stream bool
	// clientUsage is whether the client itself asked for the usage chunk of a stream.
	clientUsage bool
	// maxTokens is the answer's bound the client set (max_completion_tokens or max_tokens), 0 if none.
	maxTokens int64
}

// parseRequest reads the fields the gateway needs; a problem is a message for the client.
func parseRequest(k kind, body []byte) (*request, *apiError) {
	r := &request{kind: k}
	if err := json.Unmarshal(body, &r.fields); err != nil || r.fields == nil {
		return nil, invalidRequest("", "We could not parse the JSON body of your request. The body must be a JSON object.")
	}
	if raw, ok := r.fields["model"]; !ok || json.Unmarshal(raw, &r.model) != nil || strings.TrimSpace(r.model) == "" {
		return nil, invalidRequest("model", "you must provide a model parameter")
	}
	if len(r.model) > 255 {
		return nil, invalidRequest("model", "model must be at most 255 characters")
	}
	if raw, ok := r.fields["stream"]; ok && string(raw) != "null" {
		if json.Unmarshal(raw, &r.stream) != nil {
			return nil, invalidRequest("stream", "stream must be a boolean")
		}
	}
	if k == embeddings && r.stream {
		return nil, invalidRequest("stream", "embeddings cannot be streamed")
	}
	if raw, ok := r.fields["stream_options"]; ok && string(raw) != "null" {
		var so struct {
			IncludeUsage bool `json:"include_usage"`
		}
		if json.Unmarshal(raw, &so) != nil {
			return nil, invalidRequest("stream_options", "stream_options must be an object")
		}
		r.clientUsage = so.IncludeUsage
	}
	for _, name := range []string{"max_completion_tokens", "max_tokens"} {
		raw, ok := r.fields[name]
		if !ok || string(raw) == "null" {
			continue
		}
		var n int64
		if json.Unmarshal(raw, &n) != nil || n < 1 || n > maxAnswerTokens {
			return nil, invalidRequest(name, name+" must be an integer between 1 and 10000000")
		}
		r.maxTokens = n
		break
	}
	switch k {
	case chatCompletions:
		var msgs []json.RawMessage
		if raw, ok := r.fields["messages"]; !ok || json.Unmarshal(raw, &msgs) != nil || len(msgs) == 0 {
			return nil, invalidRequest("messages", "messages must be a non-empty array")
		}
	case completions:
		if _, ok := r.fields["prompt"]; !ok {
			return nil, invalidRequest("prompt", "you must provide a prompt parameter")
		}
	case embeddings:
		if _, ok := r.fields["input"]; !ok {
			return nil, invalidRequest("input", "you must provide an input parameter")
		}
	}
	return r, nil
}

// maxAnswerTokens bounds max_tokens, far above any model's context.
const maxAnswerTokens = 10_000_000

// upstreamBody is the body sent to an upstream: the client's, with the upstream's name for the
// model and, for streams, stream_options.include_usage set so that the upstream reports usage.
func (r *request) upstreamBody(model string) ([]byte, error) {
	name, err := json.Marshal(model)
	if err != nil {
		return nil, err
	}
	var options []byte
	if r.stream {
		so := map[string]json.RawMessage{}
		if raw, ok := r.fields["stream_options"]; ok {
			_ = json.Unmarshal(raw, &so)
		}
		so["include_usage"] = json.RawMessage("true")
		if options, err = json.Marshal(so); err != nil {
			return nil, err
		}
	}
	// The object is written field by field rather than through json.Marshal, which would scan
	// every value again (the whole conversation) to compact it: each value is the client's
	// own, already checked by json.Unmarshal. Keys in order, so that the body is deterministic.
	keys := slices.Sorted(maps.Keys(r.fields))
	if options != nil && r.fields["stream_options"] == nil {
		keys = append(keys, "stream_options")
	}
	size := 2 + len(name) + len(options)
	for k, v := range r.fields {
		size += len(k) + len(v) + 4
	}
	out := make([]byte, 0, size+32)
	out = append(out, '{')
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		out = append(append(out, key...), ':')
		switch {
		case k == "model":
			out = append(out, name...)
		case k == "stream_options" && options != nil:
			out = append(out, options...)
		default:
			out = append(out, r.fields[k]...)
		}
	}
	return append(out, '}'), nil
}

// promptTokens counts the prompt as OpenAI bills it: for chat, every message's role, name and text
// plus a few tokens of framing each (OpenAI's published accounting for its chat format), and the
// tool definitions; for completions and embeddings, the text or the token arrays given.
func (r *request) promptTokens(c Counter) int64 {
	switch r.kind {
	case chatCompletions:
		var msgs []struct {
			Role      string          `json:"role"`
			Name      string          `json:"name"`
			Content   json.RawMessage `json:"content"`
			ToolCalls json.RawMessage `json:"tool_calls"`
		}
		_ = json.Unmarshal(r.fields["messages"], &msgs)
		n := int64(3) // every answer is primed with <|start|>assistant<|message|>
		for _, m := range msgs {
			n += 3 + int64(c.Count(r.model, m.Role)+c.Count(r.model, contentText(m.Content)))
			if m.Name != "" {
				n += 1 + int64(c.Count(r.model, m.Name))
			}
			if len(m.ToolCalls) > 0 && string(m.ToolCalls) != "null" {
				n += int64(c.Count(r.model, string(m.ToolCalls)))
			}
		}
		for _, f := range []string{"tools", "functions"} {
			if raw, ok := r.fields[f]; ok && string(raw) != "null" {
				n += int64(c.Count(r.model, string(raw)))
			}
		}
		return n
	case completions:
		return inputTokens(c, r.model, r.fields["prompt"])
	default:
		return inputTokens(c, r.model, r.fields["input"])
	}
}

// contentText is a message's text: the string, or the text parts of an array of parts (images
// and audio are not counted; the upstream's usage settles them).
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return ""
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// inputTokens counts a prompt or input: a string, an array of strings, an array of token ids, or
// an array of such arrays.
func inputTokens(c Counter, model string, raw json.RawMessage) int64 {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return int64(c.Count(model, s))
	}
	var ss []string
	if json.Unmarshal(raw, &ss) == nil {
		var n int64
		for _, s := range ss {
			n += int64(c.Count(model, s))
		}
		return n
	}
	var ids []int64
	if json.Unmarshal(raw, &ids) == nil {
		return int64(len(ids))
	}
	var idss [][]int64
	if json.Unmarshal(raw, &idss) == nil {
		var n int64
		for _, ids := range idss {
			n += int64(len(ids))
		}
		return n
	}
	return 0
}
