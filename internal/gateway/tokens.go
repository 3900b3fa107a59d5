package gateway

import (
	"hash/maphash"
	"strings"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/pkoukk/tiktoken-go"
	tiktokenloader "github.com/pkoukk/tiktoken-go-loader"
)

// Counter counts the tokens of text for a model. The gateway reserves what it counts before a
// call, and counts the streamed answer when the upstream reports no usage.
type Counter interface {
	Count(model, text string) int
}

// Tiktoken counts with OpenAI's BPE encodings, embedded in the binary (no download at run time):
// o200k_base for the GPT-4o and o-series families, cl100k_base for every other model. For models
// of other families (Llama, Mistral, ...) it is an estimate within a few percent of their own
// tokenizers on English text, which is what a reservation needs; the upstream's reported usage is
// what gets settled whenever there is one.
type Tiktoken struct{}

var _ Counter = (*Tiktoken)(nil)

// encodings are loaded once per process: tiktoken-go keeps its loader in a package variable, so
// two gateways of one process (tests, benchmarks) must not set it at the same time.
var encodings struct {
	once sync.Once
	o200 *tiktoken.Tiktoken
	cl   *tiktoken.Tiktoken
	err  error
}

// loadEncodings reads the embedded encodings once. It takes a few hundred milliseconds and about
// 15 MiB that stay, so it runs when a call first needs it, or at start in the background when
// upstreams are configured (Config.Preload): a steward whose gateway is unused never pays it.
func (t *Tiktoken) loadEncodings() {
	encodings.once.Do(func() {
		tiktoken.SetBpeLoader(tiktokenloader.NewOfflineLoader())
		if encodings.o200, encodings.err = tiktoken.GetEncoding("o200k_base"); encodings.err != nil {
			return
		}
		encodings.cl, encodings.err = tiktoken.GetEncoding("cl100k_base")
	})
}

// Count returns the number of tokens of text; bytes/4 rounded up if the encodings failed to load.
func (t *Tiktoken) Count(model, text string) int {
	if text == "" {
		return 0
	}
	t.loadEncodings()
	if encodings.err != nil {
		return ByteEstimate{}.Count(model, text)
	}
	enc := encodings.cl
	if usesO200k(model) {
		enc = encodings.o200
	}
	return len(enc.EncodeOrdinary(text))
}

// usesO200k reports whether model belongs to the families tokenized with o200k_base.
func usesO200k(model string) bool {
	m := strings.ToLower(model)
	for _, p := range []string{"gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o", "gpt-oss"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// ByteEstimate counts a token per 4 bytes, rounded up: OpenAI's rule of thumb for English text.
type ByteEstimate struct{}

// Count returns ceil(len(text)/4).
func (ByteEstimate) Count(_ string, text string) int { return (len(text) + 3) / 4 }

// RememberedCounts is a Counter that keeps the counts of the texts it was asked for, by a hash
// of the text: Open WebUI sends a conversation's whole history with every message, so all of a
// prompt but its newest message was counted before, and tokenizing is the dearest part of
// reading a call (a regular expression with backtracking splits the text before the BPE). A
// collision of the 64-bit hash and the length would only misestimate a reservation, which the
// upstream's reported usage settles.
type RememberedCounts struct {
	Counter
	seed   maphash.Seed
	counts *lru.Cache[countKey, int]
}

// countKey names a text for a model (whose family decides the encoding): a hash of both, and
// the text's length. It keeps no string a request sent.
type countKey struct {
	hash uint64
	size int
}

// NewRememberedCounts keeps the counts of up to size texts counted by c.
func NewRememberedCounts(c Counter, size int) *RememberedCounts {
	counts, err := lru.New[countKey, int](size)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &RememberedCounts{Counter: c, seed: maphash.MakeSeed(), counts: counts}
}

// Count returns c's count of text, remembered.
func (r *RememberedCounts) Count(model, text string) int {
	if text == "" {
		return 0
	}
	var h maphash.Hash
	h.SetSeed(r.seed)
	h.WriteString(model)
	h.WriteByte(0)
	h.WriteString(text)
	k := countKey{hash: h.Sum64(), size: len(text)}
	if n, ok := r.counts.Get(k); ok {
		return n
	}
	n := r.Counter.Count(model, text)
	r.counts.Add(k, n)
	return n
}
