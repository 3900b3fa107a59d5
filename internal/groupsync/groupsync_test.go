package groupsync

import (
	"slices"
	"strings"
	"testing"
)

func TestDesired(t *testing.T) {
	long := strings.Repeat("x", 256)
	tests := []struct {
		name             string
		claimed, blocked []string
		want             []string
	}{
		{"trimmed and deduplicated", []string{" eng ", "eng", "ops"}, nil, []string{"eng", "ops"}},
		{"empty and overlong names dropped", []string{"", "  ", long, "ok"}, nil, []string{"ok"}},
		{"blocked names dropped", []string{"eng", "admins"}, []string{"admins"}, []string{"eng"}},
		{"empty claim", nil, nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Desired(tt.claimed, tt.blocked); !slices.Equal(got, tt.want) {
				t.Errorf("Desired() = %q, want %q", got, tt.want)
			}
		})
	}
	many := make([]string, MaxGroups+10)
	for i := range many {
		many[i] = strings.Repeat("g", i%200+1) + string(rune('a'+i/200))
	}
	if got := len(Desired(many, nil)); got != MaxGroups {
		t.Errorf("Desired of %d names kept %d, want %d", len(many), got, MaxGroups)
	}
}

func TestPlan(t *testing.T) {
	const src = "oidc:kc"
	tests := []struct {
		name        string
		member      map[string]string
		desired     []string
		blocked     map[string]bool
		add, remove []string
	}{
		{"new memberships are added", map[string]string{}, []string{"a", "b"}, nil, []string{"a", "b"}, nil},
		{"synced membership the claim dropped is removed", map[string]string{"a": src, "b": src}, []string{"a"}, nil, nil, []string{"b"}},
		{"manual membership stays when the claim drops it", map[string]string{"a": "manual"}, nil, nil, nil, nil},
		{"another provider's membership stays", map[string]string{"a": "ldap"}, nil, nil, nil, nil},
		{"empty claim removes every synced membership", map[string]string{"a": src, "b": src, "c": "manual"}, nil, nil, nil, []string{"a", "b"}},
		{"manual membership the claim names is kept as it is", map[string]string{"a": "manual"}, []string{"a"}, nil, nil, nil},
		{"blocked group is not removed", map[string]string{"a": src}, nil, map[string]bool{"a": true}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			add, remove := plan(tt.member, tt.desired, tt.blocked, src)
			if !slices.Equal(add, tt.add) || !slices.Equal(remove, tt.remove) {
				t.Errorf("plan() = add %q remove %q, want add %q remove %q", add, remove, tt.add, tt.remove)
			}
		})
	}
}
