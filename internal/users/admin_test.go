package users

import (
	"testing"

	"github.com/steward-dev/steward/internal/errs"
)

func TestParseRole(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"ADMIN", "ADMIN", true},
		{"user", "USER", true},
		{" Pending ", "PENDING", true},
		{"SUPERUSER", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := parseRole(c.in)
			if c.ok != (err == nil) || string(got) != c.want {
				t.Fatalf("parseRole(%q) = %q, %v; want %q, ok=%v", c.in, got, err, c.want, c.ok)
			}
			if err != nil && errs.CodeOf(err) != errs.CodeBadUserInput {
				t.Fatalf("code = %s, want BAD_USER_INPUT", errs.CodeOf(err))
			}
		})
	}
}

func TestTruncateForAudit(t *testing.T) {
	long := "data:image/png;base64," + string(make([]byte, 1000))
	if got := truncateForAudit(long); len(got) > 100 {
		t.Fatalf("truncated length = %d", len(got))
	}
	if got := truncateForAudit("/user.png"); got != "/user.png" {
		t.Fatalf("short value changed: %q", got)
	}
}
