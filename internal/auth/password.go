package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Argon2Params are the argon2id cost parameters.
type Argon2Params struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
}

// OWASPArgon2 is OWASP's recommended argon2id setting (19 MiB, 2 passes, 1 lane).
var OWASPArgon2 = Argon2Params{MemoryKiB: 19 * 1024, Iterations: 2, Parallelism: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// ErrPasswordMismatch is returned by Verify for a wrong password.
var ErrPasswordMismatch = errors.New("password does not match")

// Hasher hashes new passwords with argon2id and verifies both argon2id and bcrypt hashes (the
// latter is what Open WebUI stores, so imported accounts keep working).
type Hasher struct{ Params Argon2Params }

// Hash returns a PHC-format argon2id hash of password.
func (h Hasher) Hash(password string) (string, error) {
	p := h.params()
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Parallelism, keyLen)
	argon2Freed(p)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Iterations, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Decoy returns a hash in Hash's format and cost that no password matches (a random key), made
// without hashing. Verifying a password against it costs what verifying against a real hash
// does, so a sign-in with an unknown email can take as long as one with a wrong password, without
// spending argon2's memory at start-up to make it.
func (h Hasher) Decoy() (string, error) {
	p := h.params()
	raw := make([]byte, saltLen+keyLen)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("reading salt: %w", err)
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.MemoryKiB, p.Iterations, p.Parallelism, b64.EncodeToString(raw[:saltLen]), b64.EncodeToString(raw[saltLen:])), nil
}

// Verify checks password against hash. needsRehash is true when the hash is not argon2id with the
// current parameters (a bcrypt hash, or older costs): the caller should store a fresh Hash.
func (h Hasher) Verify(hash, password string) (needsRehash bool, err error) {
	switch {
	case strings.HasPrefix(hash, "$argon2id$"):
		return h.verifyArgon2(hash, password)
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
			return false, ErrPasswordMismatch
		}
		return true, nil
	default:
		return false, errors.New("unknown password hash format")
	}
}

func (h Hasher) verifyArgon2(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 {
		return false, errors.New("malformed argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unsupported argon2 version")
	}
	var p Argon2Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Iterations, &p.Parallelism); err != nil {
		return false, errors.New("malformed argon2id parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errors.New("malformed argon2id salt")
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errors.New("malformed argon2id key")
	}
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.MemoryKiB, p.Parallelism, uint32(len(want)))
	argon2Freed(p)
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, ErrPasswordMismatch
	}
	return p != h.params(), nil
}

func (h Hasher) params() Argon2Params {
	if h.Params == (Argon2Params{}) {
		return OWASPArgon2
	}
	return h.Params
}

// argon2ReleaseAbove is the argon2 memory from which a hash has the freed memory handed back to
// the operating system (see argon2Freed); hashes as small as the tests' are left alone.
const argon2ReleaseAbove = 1024 // KiB

// argon2Freed is called after every argon2 hash. Each hash allocates its memory (19 MiB by
// default) and drops it when it returns, but the Go runtime keeps freed pages until a later
// collection and its scavenger return them, which on a quiet server can be minutes away: after
// one sign-in an idle process would keep some 20 MB it does not use. So a hash schedules one
// return of free memory shortly after; a burst of sign-ins shares it.
func argon2Freed(p Argon2Params) {
	if p.MemoryKiB >= argon2ReleaseAbove {
		freeMemory.soon()
	}
}

var freeMemory = &releaser{
	schedule: func(f func()) { time.AfterFunc(time.Second, f) },
	release:  debug.FreeOSMemory,
}

// releaser runs release once for any number of soon calls made before it runs.
type releaser struct {
	schedule func(func())
	release  func()
	pending  atomic.Bool
}

func (r *releaser) soon() {
	if r.pending.CompareAndSwap(false, true) {
		r.schedule(func() {
			r.pending.Store(false)
			r.release()
		})
	}
}
