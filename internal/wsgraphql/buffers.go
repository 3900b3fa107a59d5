package wsgraphql

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// Sizes of a connection's read and write buffers. Client messages are small (subscribe,
// complete, pong), and most events' results fit the write buffer with their frame header, so
// they go out in one write; a larger message takes two.
const (
	readBufferSize  = 512
	writeBufferSize = 512
)

// smallBuffers is the ResponseWriter the websocket library hijacks the connection through. The
// library keeps the buffered reader and writer Hijack returns for the connection's lifetime, and
// net/http's are 4 KB each: most of the memory an idle connection would cost.
type smallBuffers struct {
	http.ResponseWriter
	// hijacked receives the hijacked connection.
	hijacked *net.Conn
}

// Hijack hijacks the underlying connection and returns small buffers over it.
func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	*w.hijacked = conn
	r := bufio.NewReaderSize(conn, readBufferSize)
	if n := brw.Reader.Buffered(); n > 0 {
		// The client sent its first messages as soon as it had the handshake's answer, and
		// net/http has read them already. The library keeps only what r holds in its buffer (it
		// points r at the bare connection), so they must end up there.
		early, _ := brw.Reader.Peek(n)
		r = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn), max(readBufferSize, n))
		_, _ = r.Peek(n) // reads from early alone, which holds n bytes
	}
	// net/http flushed the handshake's answer, so its writer holds nothing.
	return conn, bufio.NewReadWriter(r, bufio.NewWriterSize(conn, writeBufferSize)), nil
}
