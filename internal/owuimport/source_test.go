package owuimport

import (
	"reflect"
	"testing"
	"time"
)

func TestRowEpoch(t *testing.T) {
	want := time.Date(2024, 11, 30, 23, 40, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		v    any
		ok   bool
	}{
		{"seconds", int64(1733010000), true},
		{"milliseconds", int64(1733010000000), true},
		{"microseconds", int64(1733010000000000), true},
		{"nanoseconds (time.time_ns())", int64(1733010000000000000), true},
		{"seconds as text", "1733010000", true},
		{"a database time", want.In(time.FixedZone("x", 3600)), true},
		{"null", nil, false},
		{"zero", int64(0), false},
	} {
		got, ok := row{"t": c.v}.epoch("t")
		if ok != c.ok || (ok && !got.Equal(want)) {
			t.Errorf("%s: epoch(%v) = %v, %v; want %v, %v", c.name, c.v, got, ok, want, c.ok)
		}
	}
}

func TestRowMinor(t *testing.T) {
	for _, c := range []struct {
		name string
		v    any
		exp  int
		want int64
		err  bool
	}{
		{"PostgreSQL numeric text", "990.50", 2, 99050, false},
		{"SQLite float", 990.5, 2, 99050, false},
		{"a float that is not exact in binary", 0.29, 2, 29, false},
		{"an integer", int64(12), 2, 1200, false},
		{"a currency without decimals", "1500", 0, 1500, false},
		{"null", nil, 2, 0, false},
		{"negative", "-1.00", 2, 0, true},
		{"not a number", "abc", 2, 0, true},
	} {
		got, err := row{"p": c.v}.minor("p", c.exp)
		if got != c.want || (err != nil) != c.err {
			t.Errorf("%s: minor(%v) = %d, %v; want %d, error %v", c.name, c.v, got, err, c.want, c.err)
		}
	}
}

func TestOAuthSubjects(t *testing.T) {
	for _, c := range []struct {
		name string
		r    row
		want map[string]string
	}{
		{"newer oauth column", row{"oauth": `{"google": {"sub": "g-1"}, "microsoft": {"sub": "m-1"}}`}, map[string]string{"google": "g-1", "microsoft": "m-1"}},
		{"older provider@sub", row{"oauth_sub": "github@12345"}, map[string]string{"github": "12345"}},
		{"older bare sub of the OIDC provider", row{"oauth_sub": "abc-def"}, map[string]string{"oidc": "abc-def"}},
		{"twice-encoded JSON", row{"oauth": `"{\"google\": {\"sub\": \"g-2\"}}"`}, map[string]string{"google": "g-2"}},
		{"none", row{"oauth": nil, "oauth_sub": nil}, map[string]string{}},
	} {
		if got := oauthSubjects(c.r); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRowBoolean(t *testing.T) {
	for _, c := range []struct {
		v    any
		want bool
	}{{true, true}, {int64(0), false}, {int64(1), true}, {"false", false}, {nil, true}} {
		if got := (row{"b": c.v}).boolean("b", true); got != c.want {
			t.Errorf("boolean(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	if got := redactURL("postgres://owui:s3cret@db.internal:5432/webui"); got != "postgres://owui:xxxxx@db.internal:5432/webui" {
		t.Errorf("redactURL = %s", got)
	}
	if got := redactURL("/data/webui.db"); got != "/data/webui.db" {
		t.Errorf("a path = %s", got)
	}
}
