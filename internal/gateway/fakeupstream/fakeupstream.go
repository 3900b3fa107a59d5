// Package fakeupstream is an OpenAI-compatible API in the test process, for the gateway's tests
// and benchmarks: chat completions (streamed or not), completions and embeddings, answering with
// fixed text and, unless told otherwise, fixed usage.
package fakeupstream

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Usage the fake reports when it reports usage.
const (
	PromptTokens     = 17
	CompletionTokens = 23
)

// Behaviour is what the fake does with the next calls; change it with Set.
type Behaviour struct {
	// Chunks are the answer's pieces: one event each when streamed, joined otherwise.
	Chunks []string
	// NoUsage leaves usage out of answers.
	NoUsage bool
	// Status, when not 0 or 200, is answered instead, with an OpenAI-shaped error.
	Status int
	// HeaderDelay is waited before answering.
	HeaderDelay time.Duration
	// HoldAfter, when > 0, makes a stream stop after that many chunks and wait for the client to
	// go away (or for Release).
	HoldAfter int
	// Gate, when set, is waited on after the first chunk of a stream.
	Gate chan struct{}
	// ChunkDelay is waited before each streamed chunk after the first, as a model generates.
	ChunkDelay time.Duration
	// DropAfter, when > 0, makes a stream break its connection after that many chunks, as a
	// crashing upstream does.
	DropAfter int
	// Stamp adds to every streamed chunk when the request reached the fake and when the chunk
	// left it (StampReceived, StampSent: Unix nanoseconds), so that a client in the same process
	// can tell the time spent on the way from the fake's own pacing (benchmarks).
	Stamp bool
}

// The fields Stamp adds to chunks.
const (
	StampReceived = "x_fake_received_ns"
	StampSent     = "x_fake_sent_ns"
)

// Call is what one call sent.
type Call struct {
	Path          string
	Authorization string
	Body          map[string]any
	Headers       http.Header
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	mu        sync.Mutex
	b         Behaviour
	calls     []Call
	n         atomic.Int64
	cancelled atomic.Int64
	release   chan struct{}
	// Record keeps every call's body (off in benchmarks).
	Record bool
}

// New starts a fake with the default behaviour: "Hello", " world", "!" and usage.
func New() *Server {
	s := &Server{b: Behaviour{Chunks: []string{"Hello", " world", "!"}}, release: make(chan struct{}), Record: true}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL of the API base, for a connection (ends in /v1).
func (s *Server) BaseURL() string { return s.Server.URL + "/v1" }

// Set changes the behaviour of the next calls.
func (s *Server) Set(b Behaviour) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.Chunks == nil {
		b.Chunks = []string{"Hello", " world", "!"}
	}
	s.b = b
}

// Calls returns the calls received so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Count is the number of calls received.
func (s *Server) Count() int64 { return s.n.Load() }

// Cancelled is the number of held streams whose client went away.
func (s *Server) Cancelled() int64 { return s.cancelled.Load() }

// Release ends every held stream.
func (s *Server) Release() { close(s.release) }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	received := time.Now()
	s.n.Add(1)
	s.mu.Lock()
	b := s.b
	record := s.Record
	s.mu.Unlock()
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	if record {
		s.mu.Lock()
		s.calls = append(s.calls, Call{Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Body: body, Headers: r.Header.Clone()})
		s.mu.Unlock()
	}
	if b.HeaderDelay > 0 {
		select {
		case <-time.After(b.HeaderDelay):
		case <-r.Context().Done():
			return
		}
	}
	if b.Status != 0 && b.Status != http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(b.Status)
		fmt.Fprintf(w, `{"error":{"message":"fake failure %d","type":"server_error","param":null,"code":null}}`, b.Status)
		return
	}
	model, _ := body["model"].(string)
	switch {
	case strings.HasSuffix(r.URL.Path, "/embeddings"):
		vector := []float32{0.1, 0.2, 0.3}
		var embedding any = vector
		if body["encoding_format"] == "base64" { // what the official clients ask for by default
			buf := make([]byte, 0, 4*len(vector))
			for _, f := range vector {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(f))
			}
			embedding = base64.StdEncoding.EncodeToString(buf)
		}
		s.answerJSON(w, b, map[string]any{"object": "list", "model": model,
			"data": []any{map[string]any{"object": "embedding", "index": 0, "embedding": embedding}}}, true)
	case body["stream"] == true:
		s.stream(w, r, b, model, strings.HasSuffix(r.URL.Path, "/chat/completions"), body, received)
	case strings.HasSuffix(r.URL.Path, "/chat/completions"):
		s.answerJSON(w, b, map[string]any{"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop",
				"message": map[string]any{"role": "assistant", "content": strings.Join(b.Chunks, "")}}}}, false)
	default:
		s.answerJSON(w, b, map[string]any{"id": "cmpl-fake", "object": "text_completion", "created": 1700000000, "model": model,
			"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "text": strings.Join(b.Chunks, "")}}}, false)
	}
}

func (s *Server) answerJSON(w http.ResponseWriter, b Behaviour, v map[string]any, embedding bool) {
	if !b.NoUsage {
		u := map[string]any{"prompt_tokens": PromptTokens, "total_tokens": PromptTokens}
		if !embedding {
			u["completion_tokens"] = CompletionTokens
			u["total_tokens"] = PromptTokens + CompletionTokens
		}
		v["usage"] = u
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) stream(w http.ResponseWriter, r *http.Request, b Behaviour, model string, chat bool, body map[string]any, received time.Time) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	write := func(event []byte) bool {
		if _, err := w.Write(event); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	includeUsage := false
	if so, ok := body["stream_options"].(map[string]any); ok {
		includeUsage, _ = so["include_usage"].(bool)
	}
	enc := chunkEncoder{model: quote(model), chat: chat, usageNull: includeUsage && !b.NoUsage, stamp: b.Stamp, received: received.UnixNano()}
	var pause *time.Timer
	var event []byte
	for i, c := range b.Chunks {
		if b.DropAfter > 0 && i == b.DropAfter {
			panic(http.ErrAbortHandler) // the server closes the connection mid-response
		}
		if b.HoldAfter > 0 && i == b.HoldAfter {
			select {
			case <-r.Context().Done():
				s.cancelled.Add(1)
			case <-s.release:
			}
			return
		}
		if i > 0 && b.ChunkDelay > 0 {
			if pause == nil {
				pause = time.NewTimer(b.ChunkDelay)
				defer pause.Stop()
			} else {
				pause.Reset(b.ChunkDelay)
			}
			select {
			case <-pause.C:
			case <-r.Context().Done():
				return
			}
		}
		if event = enc.append(event[:0], c); !write(event) {
			return
		}
		if i == 0 && b.Gate != nil {
			select {
			case <-b.Gate:
			case <-r.Context().Done():
				return
			}
		}
	}
	if includeUsage && !b.NoUsage {
		data, _ := json.Marshal(map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": model, "choices": []any{},
			"usage": map[string]any{"prompt_tokens": PromptTokens, "completion_tokens": CompletionTokens, "total_tokens": PromptTokens + CompletionTokens}})
		write(fmt.Appendf(nil, "data: %s\n\n", data))
	}
	_, _ = io.WriteString(w, "data: [DONE]\n\n")
	_ = rc.Flush()
}

// chunkEncoder writes a stream's chunk events as json.Marshal writes the chunk as a map (its
// keys sorted), without building one: benchmarks stream thousands of chunks a second through the
// fake, and the garbage of maps and reflection per chunk made collections that stalled the
// gateway measured in the same process.
type chunkEncoder struct {
	model     []byte // quoted
	chat      bool
	usageNull bool // "usage": null on every chunk but the last, as OpenAI sends with include_usage
	stamp     bool
	received  int64
}

func (e chunkEncoder) append(buf []byte, content string) []byte {
	buf = append(buf, `data: {"choices":[{`...)
	if e.chat {
		buf = append(buf, `"delta":{"content":`...)
		buf = append(buf, quote(content)...)
		buf = append(buf, `},"finish_reason":null,"index":0}]`...)
	} else {
		buf = append(buf, `"finish_reason":null,"index":0,"text":`...)
		buf = append(buf, quote(content)...)
		buf = append(buf, `}]`...)
	}
	buf = append(buf, `,"created":1700000000,"id":"chatcmpl-fake","model":`...)
	buf = append(buf, e.model...)
	buf = append(buf, `,"object":"chat.completion.chunk"`...)
	if e.usageNull {
		buf = append(buf, `,"usage":null`...)
	}
	if e.stamp {
		buf = append(buf, `,"`+StampReceived+`":`...)
		buf = strconv.AppendInt(buf, e.received, 10)
		buf = append(buf, `,"`+StampSent+`":`...)
		buf = strconv.AppendInt(buf, time.Now().UnixNano(), 10)
	}
	return append(buf, "}\n\n"...)
}

// quote is s as a JSON string.
func quote(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}
