package gateway

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxEventLine bounds one line of an upstream's event stream.
const maxEventLine = 8 << 20

// relayStream passes an upstream's server-sent events to the client as they arrive, flushing
// after each event, and reads the usage and the text from them on the way. The usage-only chunk
// the gateway asked for is left out when the client did not ask for it itself, so the client
// sees the stream it requested. It returns when the upstream ends, fails, or the client leaves
// (whose request context then cancels the upstream call, ending the read).
//
// An upstream that sends nothing for idle (its connection's timeout) is given up: a hung
// provider must not hold the client, the connection and the quota hold for ever.
func (g *Gateway) relayStream(w http.ResponseWriter, resp *http.Response, req *request, idle time.Duration, giveUp context.CancelFunc) outcome {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()

	var (
		out     outcome
		skip    bool // inside an event that is not passed on
		pending bool // bytes written since the last flush
		done    bool // the upstream sent [DONE]
	)
	bufs := relayBuffers.Get().(*relayBuffer)
	defer bufs.release()
	br := bufs.reader
	br.Reset(resp.Body)
	// chunks are the data of the chunks without usage, one after the other, each ending at its
	// offset in ends; they are decoded for their text only when the upstream reports no usage:
	// decoding every chunk on the way was a tenth of the gateway's CPU time under load.
	chunks, ends := bufs.chunks[:0], bufs.ends[:0]
	defer func() { bufs.chunks, bufs.ends = chunks, ends }()
	watchdog := time.AfterFunc(idle, giveUp)
	defer watchdog.Stop()
	for {
		line, err := readLine(br)
		watchdog.Reset(idle)
		if len(line) > 0 || err == nil {
			trimmed := bytes.TrimRight(line, "\r\n")
			if len(trimmed) == 0 {
				// An event ends: pass the blank line on, unless the event was left out, and flush,
				// unless the whole next event has already arrived: then what is pending is flushed
				// with it, one write for events that arrived together (a provider, or a gateway
				// catching up, sending several at once), and nothing waits for the upstream.
				if !skip && pending {
					if _, werr := w.Write(line); werr != nil {
						out.interrupted = true
						break
					}
				}
				skip = false
				if pending && !eventBuffered(br) {
					if rc.Flush() != nil {
						out.interrupted = true
						break
					}
					pending = false
				}
			} else {
				if data, ok := bytes.CutPrefix(trimmed, []byte("data:")); ok {
					data = bytes.TrimSpace(data)
					if string(data) == "[DONE]" {
						done = true
					} else if !hasUsage(data) {
						chunks = append(chunks, data...)
						ends = append(ends, len(chunks))
					} else if hideUsage := g.readChunk(data, req, &out, nil); hideUsage {
						skip = true
					}
				}
				if !skip {
					if _, werr := w.Write(line); werr != nil {
						out.interrupted = true
						break
					}
					pending = true
				}
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) || !done {
				out.interrupted = !done
			}
			break
		}
	}
	if pending {
		_ = rc.Flush()
	}
	if out.reported == nil {
		var text strings.Builder
		start := 0
		for _, end := range ends {
			g.readChunk(chunks[start:end], req, &out, &text)
			start = end
		}
		out.text = text.String()
	}
	return out
}

// relayBuffer is what relaying a stream reads into: the upstream's buffered reader and the
// chunks kept for their text. Both are reused from call to call: allocated per call, they were
// two thirds of what the gateway allocated under load (200 streams), and garbage collections
// were a large part of the tail of the latency it adds.
type relayBuffer struct {
	reader *bufio.Reader
	chunks []byte
	ends   []int
}

// maxKeptChunks bounds the chunk buffer a relayBuffer keeps for the next call.
const maxKeptChunks = 256 << 10

var relayBuffers = sync.Pool{New: func() any { return &relayBuffer{reader: bufio.NewReaderSize(nil, 32<<10)} }}

func (b *relayBuffer) release() {
	b.reader.Reset(nil)
	if cap(b.chunks) > maxKeptChunks {
		b.chunks, b.ends = nil, nil
	}
	relayBuffers.Put(b)
}

// hasUsage reports whether a chunk may carry a usage object: a "usage" key whose value is an
// object (OpenAI sends "usage":null in every chunk of a stream that asked for usage). A false
// positive only costs a full decode.
func hasUsage(data []byte) bool {
	for {
		i := bytes.Index(data, []byte(`"usage"`))
		if i < 0 {
			return false
		}
		data = data[i+len(`"usage"`):]
		rest, ok := bytes.CutPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte(":"))
		if rest = bytes.TrimLeft(rest, " \t\r\n"); ok && len(rest) > 0 && rest[0] == '{' {
			return true
		}
	}
}

// readChunk reads a chunk's usage and, with a text builder, its text; it reports whether the
// chunk is the usage-only chunk that the client did not ask for.
func (g *Gateway) readChunk(data []byte, req *request, out *outcome, text *strings.Builder) bool {
	var c struct {
		Usage   *usage `json:"usage"`
		Choices []struct {
			Text  string `json:"text"`
			Delta struct {
				Content          string          `json:"content"`
				ReasoningContent string          `json:"reasoning_content"`
				ToolCalls        json.RawMessage `json:"tool_calls"`
			} `json:"delta"`
		} `json:"choices"`
	}
	if json.Unmarshal(data, &c) != nil {
		return false
	}
	for _, ch := range c.Choices {
		if text == nil {
			break // the caller only wants the usage
		}
		text.WriteString(ch.Text)
		text.WriteString(ch.Delta.Content)
		text.WriteString(ch.Delta.ReasoningContent)
		if len(ch.Delta.ToolCalls) > 0 && string(ch.Delta.ToolCalls) != "null" {
			text.Write(ch.Delta.ToolCalls)
		}
	}
	if c.Usage != nil {
		out.reported = c.Usage
		return len(c.Choices) == 0 && !req.clientUsage
	}
	return false
}

// eventBuffered reports whether a whole event (up to its blank line) has already been read from
// the upstream, so that relaying it cannot wait for the upstream.
func eventBuffered(br *bufio.Reader) bool {
	n := br.Buffered()
	if n == 0 {
		return false
	}
	next, _ := br.Peek(n)
	return bytes.Contains(next, []byte("\n\n")) || bytes.Contains(next, []byte("\n\r\n"))
}

// readLine reads one line, however long, up to maxEventLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	buf := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		if len(buf) > maxEventLine {
			return buf, errors.New("event stream line too long")
		}
		line, err = br.ReadSlice('\n')
		buf = append(buf, line...)
	}
	return buf, err
}
