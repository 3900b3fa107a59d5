package slug

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
)

func TestBase(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "ascii", in: "Pro Plan", want: "pro-plan"},
		{name: "russian", in: "Базовый", want: "bazovyy"},
		{name: "russian with digits", in: "Тариф «Премиум» 2025", want: "tarif-premium-2025"},
		{name: "soft and hard signs vanish", in: "Объём Большой", want: "obem-bolshoy"},
		{name: "multi-letter transliterations", in: "Щука Жёлтая Цапля Юла", want: "shchuka-zheltaya-tsaplya-yula"},
		{name: "ukrainian", in: "Їжак Європа", want: "yizhak-yevropa"},
		{name: "kazakh", in: "Қазақстан", want: "qazaqstan"},
		{name: "punctuation runs collapse", in: "  --Hello!!!   World??  ", want: "hello-world"},
		{name: "unsupported scripts become separators", in: "Plan 計劃 X", want: "plan-x"},
		{name: "accented latin is a separator", in: "Café", want: "caf"},
		{name: "empty", in: "", want: "plan"},
		{name: "only symbols", in: "!!! ??? ", want: "plan"},
		{name: "only unsupported letters", in: "計劃", want: "plan"},
		{name: "emoji", in: "🚀 Turbo", want: "turbo"},
		{name: "cut at word boundary", in: "Enterprise Unlimited Premium Ultimate Edition Plus", want: "enterprise-unlimited-premium-ultimate"},
		{name: "cut long word", in: strings.Repeat("a", 50), want: strings.Repeat("a", 40)},
		{name: "cut does not leave trailing dash", in: strings.Repeat("a", 39) + " bbbbbb", want: strings.Repeat("a", 39)},
		{name: "cut after transliteration", in: strings.Repeat("щ", 11), want: strings.Repeat("shch", 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Base(tt.in)
			if got != tt.want {
				t.Errorf("Base(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if len(got) > MaxBase {
				t.Errorf("len(Base(%q)) = %d, want ≤ %d", tt.in, len(got), MaxBase)
			}
		})
	}
}

func TestNewDeterministic(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		random []byte
		want   string
	}{
		{name: "plain bytes", in: "Базовый", random: []byte{0, 1, 10, 35, 36, 71}, want: "bazovyy-01az0z"},
		{name: "rejects bytes 252 and above", in: "Pro", random: []byte{255, 252, 251, 0, 1, 2, 3, 4, 5}, want: "pro-z01234"},
		{name: "empty name", in: "", random: []byte{200, 100, 50, 25, 12, 6}, want: "plan-ksepc6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := New(tt.in, bytes.NewReader(tt.random)); got != tt.want {
				t.Errorf("New(%q, %v) = %q, want %q", tt.in, tt.random, got, tt.want)
			}
		})
	}
}

type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

func TestNewFallsBackToCryptoRand(t *testing.T) {
	pattern := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-[0-9a-z]{6}$`)
	readers := map[string]io.Reader{
		"nil":                 nil,
		"crypto":              rand.Reader,
		"failing":             failingReader{},
		"short":               bytes.NewReader([]byte{1, 2}),
		"only rejected bytes": constReader(255),
	}
	for name, r := range readers {
		t.Run(name, func(t *testing.T) {
			got := New("Стандарт Плюс", r)
			if !strings.HasPrefix(got, "standart-plyus-") || !pattern.MatchString(got) {
				t.Errorf("New = %q, want standart-plyus-<6 base36 chars>", got)
			}
			if name == "short" && !strings.HasPrefix(got, "standart-plyus-12") {
				t.Errorf("New = %q, want the reader's bytes used first", got)
			}
		})
	}
}
