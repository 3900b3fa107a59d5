package groups

import (
	"fmt"
	"testing"

	"github.com/steward-dev/steward/internal/errs"
)

func TestValidateDenied(t *testing.T) {
	cases := []struct {
		name string
		in   []string
		want string
		code errs.Code
	}{
		{"nil is no denials", nil, "[]", ""},
		{"sorted without repeats", []string{"chat.edit", "chat.delete", "chat.edit"}, "[chat.delete chat.edit]", ""},
		{"unknown key", []string{"chat.delete", "chat.fly"}, "", errs.CodeBadUserInput},
		{"a section is not a key", []string{"chat"}, "", errs.CodeBadUserInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := validateDenied(c.in)
			if c.code != "" {
				if errs.CodeOf(err) != c.code {
					t.Fatalf("err = %v, want %s", err, c.code)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != c.want || got == nil {
				t.Fatalf("validateDenied(%v) = %v, %v; want %s", c.in, got, err, c.want)
			}
		})
	}
}

func TestValidatePermissions(t *testing.T) {
	if got, err := validatePermissions(nil); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("nil tree = %v, %v; want an empty tree", got, err)
	}
	_, err := validatePermissions(map[string]any{"chat": map[string]any{"fly": true}})
	e, ok := errs.As(err)
	if !ok || e.Field != "permissions.chat.fly" {
		t.Fatalf("err = %v, want field permissions.chat.fly", err)
	}
}
