// Package slug makes short, URL-safe identifiers from human names, such as plan IDs from plan
// names that are often Russian.
package slug

import (
	"crypto/rand"
	"io"
	"strings"
	"unicode"
)

// MaxBase is the longest the name part of a slug may be, before the random suffix.
const MaxBase = 40

// SuffixLen is the number of random base36 characters after the name part.
const SuffixLen = 6

const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"

// translit maps lower-case Cyrillic letters (Russian, Ukrainian, Belarusian, Kazakh) to Latin.
// The hard and soft signs map to nothing, as in common practice.
var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
	'я': "ya",
	// Ukrainian and Belarusian.
	'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ў': "u",
	// Kazakh.
	'ә': "a", 'ғ': "g", 'қ': "q", 'ң': "ng", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h",
}

// New returns Base(name) + "-" + SuffixLen random characters from [0-9a-z], for example
// "bazovyy-3kq0zx" for "Базовый". The suffix makes collisions unlikely but not impossible, so
// callers still rely on the unique index of whatever they store.
//
// random supplies the randomness; nil means crypto/rand. Bytes are drawn by rejection sampling, so
// every character is uniform. If random fails, runs dry or keeps yielding rejected bytes, the rest
// of the suffix comes from crypto/rand rather than failing, because a slug never needs to be
// secret or reproducible in production; tests pass a reader long enough for a deterministic
// result.
func New(name string, random io.Reader) string {
	if random == nil {
		random = rand.Reader
	}
	var b strings.Builder
	base := Base(name)
	b.Grow(len(base) + 1 + SuffixLen)
	b.WriteString(base)
	b.WriteByte('-')
	buf := make([]byte, SuffixLen)
	rejected := 0
	for n := 0; n < SuffixLen; {
		k, err := io.ReadFull(random, buf[:SuffixLen-n])
		for _, c := range buf[:k] {
			// 252 = 7*36: dropping the top 4 byte values keeps the modulo uniform.
			if c < 252 {
				b.WriteByte(alphabet[c%36])
				n++
			} else {
				rejected++
			}
		}
		// A reader that fails, or that only ever yields rejected bytes, must not stall us.
		if err != nil || rejected > 64 {
			random = rand.Reader
		}
	}
	return b.String()
}

// Base returns the name part of a slug: name lower-cased, with Cyrillic transliterated to Latin,
// every run of other characters that are not ASCII letters or digits replaced by a single '-',
// no leading or trailing '-', and at most MaxBase bytes (cut at a '-' boundary when one lies in
// the second half of the limit, so words are not chopped needlessly). An empty result becomes
// "plan".
func Base(name string) string {
	var b strings.Builder
	dash := false // a separator is pending
	for _, r := range name {
		r = unicode.ToLower(r)
		var piece string
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			piece = string(r)
		default:
			t, ok := translit[r]
			if !ok {
				dash = true
				continue
			}
			if t == "" {
				// Hard and soft signs vanish without splitting the word.
				continue
			}
			piece = t
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteString(piece)
	}
	s := b.String()
	if len(s) > MaxBase {
		s = s[:MaxBase]
		if i := strings.LastIndexByte(s, '-'); i >= MaxBase/2 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	if s == "" {
		return "plan"
	}
	return s
}
