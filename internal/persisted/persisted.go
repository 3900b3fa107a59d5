// Package persisted serves persisted operations: automatic persisted queries (APQ, a client
// sends a query's SHA-256 hash and the text only when the server asks for it) and, when the server
// accepts only persisted operations, the list of operations allowed to run.
//
// Operations become known in two ways: a file of allowed operations loaded at start (a JSON
// object mapping each operation's hex SHA-256 to its text, see Load), and APQ registration (a
// request carrying both the hash and the text). With Only, registration and plain query text are
// reserved to the callers MayRegister allows (admins), so anyone else may run only what was
// loaded or registered by them. Registrations are kept in memory, per process.
package persisted

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/internal/errs"
)

// Config configures a Store.
type Config struct {
	// Operations are the operations loaded at start, by Hash of their text.
	Operations map[string]string
	// Only refuses query text that is not a known operation, except from MayRegister's callers.
	Only bool
	// MayRegister tells whether the caller of ctx may register operations and, with Only, send
	// any text; nil means everyone may.
	MayRegister func(ctx context.Context) bool
	// CacheSize bounds the registered operations kept; zero means 1000.
	CacheSize int
}

// Validate checks that every loaded operation is stored under the hash of its text.
func (c Config) Validate() error {
	for h, q := range c.Operations {
		if Hash(q) != h {
			return fmt.Errorf("persisted: operation %q is not stored under the SHA-256 of its text", h)
		}
	}
	if c.CacheSize < 0 {
		return errors.New("persisted: CacheSize must not be negative")
	}
	return nil
}

// Store is a gqlgen handler extension that resolves persisted operations and, with Config.Only,
// refuses the others. It must be added before anything that reads the query text.
type Store struct {
	ops         map[string]string
	only        bool
	mayRegister func(ctx context.Context) bool
	registered  *lru.LRU[string]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = (*Store)(nil)

// New returns a Store.
func New(cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MayRegister == nil {
		cfg.MayRegister = func(context.Context) bool { return true }
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = 1000
	}
	return &Store{ops: cfg.Operations, only: cfg.Only, mayRegister: cfg.MayRegister, registered: lru.New[string](cfg.CacheSize)}, nil
}

// Load reads a file of allowed operations: a JSON object whose keys are the hex SHA-256 of the
// operation text they map to.
func Load(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading persisted operations: %w", err)
	}
	var ops map[string]string
	if err := json.Unmarshal(b, &ops); err != nil {
		return nil, fmt.Errorf("persisted operations in %s: %w", path, err)
	}
	return ops, Config{Operations: ops}.Validate()
}

// Hash is the key of an operation: the hex SHA-256 of its text, as APQ clients compute it.
func Hash(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// ExtensionName implements graphql.HandlerExtension.
func (s *Store) ExtensionName() string { return "PersistedOperations" }

// Validate implements graphql.HandlerExtension.
func (s *Store) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters fills in the text of a known hash, registers a new one when the caller
// may, and with Only refuses unknown text.
func (s *Store) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash, err := apqHash(p.Extensions)
	if err != nil {
		return refusal(err)
	}
	if hash == "" {
		if s.only && !s.known(ctx, Hash(p.Query)) && !s.mayRegister(ctx) {
			return refusal(required())
		}
		return nil
	}
	if p.Query == "" {
		q, ok := s.lookup(ctx, hash)
		if !ok {
			// Apollo's clients look for this exact message, then send the text with the hash.
			return refusal(&errs.Error{Code: errs.CodePersistedQueryNotFound, Message: "PersistedQueryNotFound"})
		}
		p.Query = q
		return nil
	}
	if Hash(p.Query) != hash {
		return refusal(errs.Invalid("extensions.persistedQuery.sha256Hash", "does not match the query"))
	}
	if s.known(ctx, hash) {
		return nil
	}
	if s.only && !s.mayRegister(ctx) {
		return refusal(required())
	}
	if s.mayRegister(ctx) {
		s.registered.Add(ctx, hash, p.Query)
	}
	return nil
}

func (s *Store) lookup(ctx context.Context, hash string) (string, bool) {
	if q, ok := s.ops[hash]; ok {
		return q, true
	}
	return s.registered.Get(ctx, hash)
}

func (s *Store) known(ctx context.Context, hash string) bool {
	_, ok := s.lookup(ctx, hash)
	return ok
}

// apqHash returns the hash of the persistedQuery extension, or "" without one.
func apqHash(ext map[string]any) (string, error) {
	raw, ok := ext["persistedQuery"]
	if !ok || raw == nil {
		return "", nil
	}
	m, _ := raw.(map[string]any)
	hash, _ := m["sha256Hash"].(string)
	if v, _ := m["version"].(float64); v != 1 && m["version"] != json.Number("1") {
		return "", errs.Invalid("extensions.persistedQuery.version", "only version 1 is supported")
	}
	if len(hash) != sha256.Size*2 {
		return "", errs.Invalid("extensions.persistedQuery.sha256Hash", "is not a SHA-256 in hex")
	}
	return hash, nil
}

func required() *errs.Error {
	return &errs.Error{Code: errs.CodePersistedQueryRequired, Message: "this server runs only persisted operations: send the hash of an allowed one"}
}

func refusal(err error) *gqlerror.Error {
	return &gqlerror.Error{Message: err.Error(), Err: err}
}
