package gateway

import (
	"encoding/json"
	"strings"
	"testing"
)

// words counts one token per space-separated word, so that expectations are easy to read.
type words struct{}

func (words) Count(_, text string) int { return len(strings.Fields(text)) }

func TestParseRequest(t *testing.T) {
	cases := []struct {
		name      string
		kind      kind
		body      string
		wantParam string // "" for a valid request
		stream    bool
		maxTokens int64
	}{
		{name: "chat", kind: chatCompletions, body: `{"model":"m","messages":[{"role":"user","content":"hi"}]}`},
		{name: "max_completion_tokens wins", kind: chatCompletions, body: `{"model":"m","messages":[{}],"max_completion_tokens":5,"max_tokens":9}`, maxTokens: 5},
		{name: "max_tokens", kind: completions, body: `{"model":"m","prompt":"x","max_tokens":9,"stream":true}`, maxTokens: 9, stream: true},
		{name: "null max_tokens", kind: completions, body: `{"model":"m","prompt":"x","max_tokens":null}`},
		{name: "not an object", kind: chatCompletions, body: `[1]`, wantParam: "-"},
		{name: "no model", kind: chatCompletions, body: `{"messages":[{}]}`, wantParam: "model"},
		{name: "blank model", kind: chatCompletions, body: `{"model":" ","messages":[{}]}`, wantParam: "model"},
		{name: "long model", kind: chatCompletions, body: `{"model":"` + strings.Repeat("m", 256) + `","messages":[{}]}`, wantParam: "model"},
		{name: "empty messages", kind: chatCompletions, body: `{"model":"m","messages":[]}`, wantParam: "messages"},
		{name: "stream not bool", kind: chatCompletions, body: `{"model":"m","messages":[{}],"stream":"yes"}`, wantParam: "stream"},
		{name: "zero max_tokens", kind: chatCompletions, body: `{"model":"m","messages":[{}],"max_tokens":0}`, wantParam: "max_tokens"},
		{name: "huge max_tokens", kind: chatCompletions, body: `{"model":"m","messages":[{}],"max_tokens":1e12}`, wantParam: "max_tokens"},
		{name: "no prompt", kind: completions, body: `{"model":"m"}`, wantParam: "prompt"},
		{name: "no input", kind: embeddings, body: `{"model":"m"}`, wantParam: "input"},
		{name: "streamed embeddings", kind: embeddings, body: `{"model":"m","input":"x","stream":true}`, wantParam: "stream"},
		{name: "bad stream_options", kind: chatCompletions, body: `{"model":"m","messages":[{}],"stream_options":3}`, wantParam: "stream_options"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, e := parseRequest(c.kind, []byte(c.body))
			switch {
			case c.wantParam == "" && e != nil:
				t.Fatalf("got error %v, want a request", e)
			case c.wantParam != "" && e == nil:
				t.Fatalf("got a request, want an error on %s", c.wantParam)
			case e != nil:
				got := "-"
				if e.Param != nil {
					got = *e.Param
				}
				if got != c.wantParam || e.Status != 400 || e.Type != "invalid_request_error" {
					t.Errorf("got %d %s on %s, want 400 invalid_request_error on %s", e.Status, e.Type, got, c.wantParam)
				}
			default:
				if r.stream != c.stream || r.maxTokens != c.maxTokens {
					t.Errorf("got stream %v max %d, want %v %d", r.stream, r.maxTokens, c.stream, c.maxTokens)
				}
			}
		})
	}
}

func TestPromptTokens(t *testing.T) {
	cases := []struct {
		name string
		kind kind
		body string
		want int64
	}{
		// 3 for the reply, then per message 3 + role + content (+ 1 + name).
		{name: "one message", kind: chatCompletions, body: `{"model":"m","messages":[{"role":"user","content":"a b c"}]}`, want: 3 + 3 + 1 + 3},
		{name: "named message and parts", kind: chatCompletions, body: `{"model":"m","messages":[
			{"role":"system","name":"bot","content":"be brief"},
			{"role":"user","content":[{"type":"text","text":"a b"},{"type":"image_url","image_url":{"url":"x"}}]}]}`,
			want: 3 + (3 + 1 + 2 + 1 + 1) + (3 + 1 + 2)},
		{name: "tools are counted", kind: chatCompletions, body: `{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}`,
			want: 3 + 3 + 1 + 1 + 1},
		{name: "prompt string", kind: completions, body: `{"model":"m","prompt":"one two"}`, want: 2},
		{name: "prompt strings", kind: completions, body: `{"model":"m","prompt":["one two","three"]}`, want: 3},
		{name: "token ids", kind: embeddings, body: `{"model":"m","input":[1,2,3,4]}`, want: 4},
		{name: "arrays of token ids", kind: embeddings, body: `{"model":"m","input":[[1,2],[3]]}`, want: 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, e := parseRequest(c.kind, []byte(c.body))
			if e != nil {
				t.Fatal(e)
			}
			if got := r.promptTokens(words{}); got != c.want {
				t.Errorf("got %d tokens, want %d", got, c.want)
			}
		})
	}
}

func TestUpstreamBodyAsksStreamsForUsageAndKeepsTheRest(t *testing.T) {
	r, e := parseRequest(chatCompletions, []byte(`{"model":"alias","messages":[{"role":"user","content":"x"}],"stream":true,
		"stream_options":{"include_obfuscation":false},"temperature":0.2,"tools":[{"type":"function"}]}`))
	if e != nil {
		t.Fatal(e)
	}
	raw, err := r.upstreamBody("base-model")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(raw, &got)
	so, _ := got["stream_options"].(map[string]any)
	if got["model"] != "base-model" || so["include_usage"] != true || so["include_obfuscation"] != false ||
		got["temperature"] != 0.2 || got["tools"] == nil {
		t.Errorf("upstream body %s", raw)
	}
}

func TestTiktokenCountsOffline(t *testing.T) {
	var tk Tiktoken
	// "Hello world" is two tokens in both encodings.
	for _, m := range []string{"gpt-4o-mini", "llama3"} {
		if got := tk.Count(m, "Hello world"); got != 2 {
			t.Errorf("%s: got %d tokens, want 2", m, got)
		}
	}
	if got := tk.Count("x", ""); got != 0 {
		t.Errorf("empty text: got %d", got)
	}
	if got := (ByteEstimate{}).Count("x", "12345"); got != 2 {
		t.Errorf("byte estimate of 5 bytes: got %d, want 2", got)
	}
}

func TestHasUsage(t *testing.T) {
	for data, want := range map[string]bool{
		`{"choices":[{"delta":{"content":"hi"}}]}`:                    false,
		`{"choices":[{"delta":{"content":"hi"}}],"usage":null}`:       false,
		`{"choices":[{"delta":{"content":"the \"usage\": {"}}]}`:      false,
		`{"choices":[],"usage":{"prompt_tokens":1}}`:                  true,
		`{"choices":[], "usage" : {"prompt_tokens":1}}`:               true,
		`{"choices":[{"delta":{"content":"usage"}}],"usage":{"x":1}}`: true,
	} {
		if got := hasUsage([]byte(data)); got != want {
			t.Errorf("hasUsage(%s) = %v, want %v", data, got, want)
		}
	}
}

func TestUpstreamBodyIsValidJSONWithOnlyWhatItNeeds(t *testing.T) {
	for body, wantOptions := range map[string]bool{
		`{"model":"alias","messages":[{"role":"user","content":"<x> & \"y\""}]}`:                   false,
		`{"model":"alias","messages":[{"role":"user","content":"x"}],"stream":true}`:               true,
		"{\"model\":\"alias\",\n \"messages\": [ {\"role\":\"user\",\"content\":\"x\"} ],\"n\":2}": false,
	} {
		r, e := parseRequest(chatCompletions, []byte(body))
		if e != nil {
			t.Fatal(e)
		}
		raw, err := r.upstreamBody("base-model")
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatalf("%s: upstream body %s is not JSON: %v", body, raw, err)
		}
		_, hasOptions := got["stream_options"]
		if got["model"] != "base-model" || hasOptions != wantOptions || len(got["messages"].([]any)) != 1 {
			t.Errorf("%s: upstream body %s", body, raw)
		}
	}
}

// countedTexts is a Counter that records what it was asked to count.
type countedTexts struct{ asked []string }

func (c *countedTexts) Count(model, text string) int {
	c.asked = append(c.asked, model+":"+text)
	return len(strings.Fields(text))
}

// A conversation's next call sends its history again: only the new message is counted, the
// counts are the same, and the model (whose family decides the encoding) is part of what is
// remembered.
func TestRememberedCountsCountTheHistoryOnce(t *testing.T) {
	inner := &countedTexts{}
	counts := NewRememberedCounts(inner, 100)
	first := `{"model":"m","messages":[{"role":"user","content":"a b c"}]}`
	second := `{"model":"m","messages":[{"role":"user","content":"a b c"},{"role":"assistant","content":"d e"},{"role":"user","content":"f"}]}`
	for _, c := range []struct {
		body     string
		want     int64
		newTexts []string
		what     string
	}{
		{first, 3 + 3 + 1 + 3, []string{"m:user", "m:a b c"}, "the first call"},
		{second, 3 + (3 + 1 + 3) + (3 + 1 + 2) + (3 + 1 + 1), []string{"m:assistant", "m:d e", "m:f"}, "the next call"},
		{strings.Replace(second, `"model":"m"`, `"model":"other"`, 1), 3 + (3 + 1 + 3) + (3 + 1 + 2) + (3 + 1 + 1),
			[]string{"other:user", "other:a b c", "other:assistant", "other:d e", "other:f"}, "the same messages for another model"},
	} {
		inner.asked = nil
		r, e := parseRequest(chatCompletions, []byte(c.body))
		if e != nil {
			t.Fatal(e)
		}
		if got := r.promptTokens(counts); got != c.want {
			t.Errorf("%s: %d tokens, want %d", c.what, got, c.want)
		}
		if strings.Join(inner.asked, "|") != strings.Join(c.newTexts, "|") {
			t.Errorf("%s counted %q, want only %q", c.what, inner.asked, c.newTexts)
		}
	}
}
