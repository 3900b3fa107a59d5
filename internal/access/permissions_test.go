package access

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/steward-dev/steward/internal/errs"
)

// wantInvalid checks err is BAD_USER_INPUT on field with message msg, or nil when !wantErr.
func wantInvalid(t *testing.T, err error, wantErr bool, field, msg string) {
	t.Helper()
	if !wantErr {
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		return
	}
	e, ok := errs.As(err)
	if !ok {
		t.Fatalf("got error %v, want *errs.Error on %q", err, field)
	}
	if e.Code != errs.CodeBadUserInput {
		t.Errorf("got code %s, want %s", e.Code, errs.CodeBadUserInput)
	}
	if e.Field != field {
		t.Errorf("got field %q, want %q", e.Field, field)
	}
	if e.Message != msg {
		t.Errorf("got message %q, want %q", e.Message, msg)
	}
}

// wantKeys checks t holds exactly the known keys, with the given ones true and all others false.
func wantKeys(t *testing.T, tree Tree, trueKeys ...string) {
	t.Helper()
	flat := Flatten(tree)
	if got, want := slices.Sorted(maps.Keys(flat)), Keys(); !slices.Equal(got, want) {
		t.Fatalf("got keys %v, want every known key %v", got, want)
	}
	for _, k := range Keys() {
		if got, want := flat[k], slices.Contains(trueKeys, k); got != want {
			t.Errorf("%s: got %v, want %v", k, got, want)
		}
	}
}

// defaultTrue lists the keys Open WebUI turns on by default.
var defaultTrue = []string{
	"chat.call", "chat.continue_response", "chat.controls", "chat.delete", "chat.delete_message",
	"chat.edit", "chat.export", "chat.file_upload", "chat.multiple_models", "chat.params",
	"chat.rate_response", "chat.regenerate_response", "chat.share", "chat.stt",
	"chat.system_prompt", "chat.temporary", "chat.tts", "chat.valves",
	"features.channels", "features.code_interpreter", "features.folders",
	"features.image_generation", "features.notes", "features.web_search",
}

// with returns defaultTrue plus extra, minus every key in without.
func with(extra []string, without ...string) []string {
	out := slices.DeleteFunc(slices.Clone(defaultTrue), func(k string) bool { return slices.Contains(without, k) })
	return append(out, extra...)
}

func TestDefaults(t *testing.T) {
	wantKeys(t, Defaults(), defaultTrue...)

	// 10 workspace + 10 sharing + 19 chat + 8 features + 1 billing.
	if got, want := len(Keys()), 49; got != want {
		t.Errorf("got %d keys, want %d", got, want)
	}
	if !slices.IsSorted(Keys()) {
		t.Errorf("got unsorted keys %v", Keys())
	}
	if !slices.Contains(Keys(), "billing.usage.write") {
		t.Errorf("got keys without billing.usage.write")
	}

	d := Defaults()
	if _, ok := d["chat"].(map[string]any); !ok {
		t.Errorf("got section of type %T, want map[string]any (the JSON shape)", d["chat"])
	}
	d["chat"].(map[string]any)["delete"] = false
	d["billing"].(map[string]any)["usage"].(map[string]any)["write"] = true
	if !Has(Defaults(), "chat.delete") || Has(Defaults(), "billing.usage.write") {
		t.Errorf("changing one Defaults() result changed the next one")
	}
	k := Keys()
	k[0] = "changed"
	if Keys()[0] == "changed" {
		t.Errorf("changing one Keys() result changed the next one")
	}
}

func TestIsKnownKey(t *testing.T) {
	tests := []struct {
		name string
		key  string
		want bool
	}{
		{name: "chat key", key: "chat.delete", want: true},
		{name: "false by default", key: "workspace.models", want: true},
		{name: "three levels", key: "billing.usage.write", want: true},
		{name: "section", key: "chat", want: false},
		{name: "inner section", key: "billing.usage", want: false},
		{name: "too deep", key: "chat.delete.x", want: false},
		{name: "unknown", key: "chat.nope", want: false},
		{name: "empty", key: "", want: false},
		{name: "case matters", key: "Chat.Delete", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsKnownKey(tt.key); got != tt.want {
				t.Errorf("IsKnownKey(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name      string
		tree      map[string]any
		wantField string // empty: valid
		wantMsg   string
	}{
		{name: "nil", tree: nil},
		{name: "empty", tree: map[string]any{}},
		{name: "full defaults", tree: Defaults()},
		{name: "valid partial", tree: map[string]any{"chat": map[string]any{"delete": false}, "workspace": map[string]any{}}},
		{name: "valid three levels", tree: map[string]any{"billing": map[string]any{"usage": map[string]any{"write": true}}}},
		{name: "nested Tree values", tree: map[string]any{"chat": Tree{"delete": true}}},
		{
			name:      "unknown section",
			tree:      map[string]any{"nope": map[string]any{"x": true}},
			wantField: "nope", wantMsg: "unknown permission key",
		},
		{
			name:      "unknown key in section",
			tree:      map[string]any{"chat": map[string]any{"delete": true, "explode": true}},
			wantField: "chat.explode", wantMsg: "unknown permission key",
		},
		{
			name:      "string leaf",
			tree:      map[string]any{"chat": map[string]any{"delete": "yes"}},
			wantField: "chat.delete", wantMsg: "must be a boolean",
		},
		{
			name:      "null leaf",
			tree:      map[string]any{"features": map[string]any{"notes": nil}},
			wantField: "features.notes", wantMsg: "must be a boolean",
		},
		{
			name:      "object where a leaf belongs",
			tree:      map[string]any{"chat": map[string]any{"delete": map[string]any{"own": true}}},
			wantField: "chat.delete", wantMsg: "must be a boolean",
		},
		{
			name:      "bool where a section belongs",
			tree:      map[string]any{"chat": true},
			wantField: "chat", wantMsg: "must be an object",
		},
		{
			name:      "bool where an inner section belongs",
			tree:      map[string]any{"billing": map[string]any{"usage": true}},
			wantField: "billing.usage", wantMsg: "must be an object",
		},
		{
			name:      "two-level key for the three-level section",
			tree:      map[string]any{"billing": map[string]any{"usage_write": true}},
			wantField: "billing.usage_write", wantMsg: "unknown permission key",
		},
		{
			name:      "dotted map key instead of nesting",
			tree:      map[string]any{"chat.delete": true},
			wantField: "chat.delete", wantMsg: "unknown permission key",
		},
		{
			name: "first problem in sorted order",
			tree: map[string]any{
				"workspace": map[string]any{"models": 1},
				"chat":      map[string]any{"zzz": true, "delete": "no"},
				"sharing":   true,
			},
			wantField: "chat.delete", wantMsg: "must be a boolean",
		},
		{
			// Plain string order, not walk order: '-' sorts before '.'.
			name:      "sorted as dotted strings",
			tree:      map[string]any{"chat": map[string]any{"x": true}, "chat-x": true},
			wantField: "chat-x", wantMsg: "unknown permission key",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, Validate(tt.tree), tt.wantField != "", tt.wantField, tt.wantMsg)
		})
	}
}

func TestValidateKeys(t *testing.T) {
	tests := []struct {
		name      string
		keys      []string
		wantErr   bool
		wantField string
	}{
		{name: "nil", keys: nil},
		{name: "known", keys: []string{"chat.delete", "billing.usage.write"}},
		{name: "unknown", keys: []string{"chat.delete", "chat.nope"}, wantErr: true, wantField: "chat.nope"},
		{name: "first unknown in given order", keys: []string{"z.z", "a.a"}, wantErr: true, wantField: "z.z"},
		{name: "section is not a key", keys: []string{"chat"}, wantErr: true, wantField: "chat"},
		{name: "empty key", keys: []string{""}, wantErr: true, wantField: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantInvalid(t, ValidateKeys(tt.keys), tt.wantErr, tt.wantField, "unknown permission key")
		})
	}
}

func TestFlatten(t *testing.T) {
	tests := []struct {
		name string
		tree Tree
		want map[string]bool
	}{
		{name: "nil", tree: nil, want: map[string]bool{}},
		{
			name: "any depth",
			tree: Tree{"chat": map[string]any{"delete": true}, "billing": map[string]any{"usage": map[string]any{"write": false}}},
			want: map[string]bool{"chat.delete": true, "billing.usage.write": false},
		},
		{
			name: "non-bool leaves dropped",
			tree: Tree{"chat": map[string]any{"delete": "yes", "edit": nil, "share": true}},
			want: map[string]bool{"chat.share": true},
		},
		{name: "nested Tree", tree: Tree{"chat": Tree{"edit": true}}, want: map[string]bool{"chat.edit": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Flatten(tt.tree); !maps.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUnflatten(t *testing.T) {
	tests := []struct {
		name string
		flat map[string]bool
		want Tree
	}{
		{name: "nil", flat: nil, want: Tree{}},
		{
			name: "any depth",
			flat: map[string]bool{"chat.delete": true, "chat.edit": false, "billing.usage.write": true},
			want: Tree{
				"chat":    map[string]any{"delete": true, "edit": false},
				"billing": map[string]any{"usage": map[string]any{"write": true}},
			},
		},
		{
			name: "section wins over a bare key",
			flat: map[string]bool{"chat": true, "chat.delete": false},
			want: Tree{"chat": map[string]any{"delete": false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unflatten(tt.flat); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("round trip of defaults", func(t *testing.T) {
		if got, want := Unflatten(Flatten(Defaults())), Defaults(); !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

func TestFill(t *testing.T) {
	defaults := Tree{
		"chat":    map[string]any{"delete": true, "edit": true},
		"billing": map[string]any{"usage": map[string]any{"write": false}},
	}
	tests := []struct {
		name string
		tree Tree
		want Tree
	}{
		{name: "nil gives defaults", tree: nil, want: defaults},
		{
			name: "missing keys filled, present kept",
			tree: Tree{"chat": map[string]any{"delete": false}},
			want: Tree{
				"chat":    map[string]any{"delete": false, "edit": true},
				"billing": map[string]any{"usage": map[string]any{"write": false}},
			},
		},
		{
			name: "deep section filled",
			tree: Tree{"billing": map[string]any{"usage": map[string]any{}}},
			want: defaults,
		},
		{
			name: "extra keys kept",
			tree: Tree{"custom": map[string]any{"x": true}},
			want: Tree{
				"custom":  map[string]any{"x": true},
				"chat":    map[string]any{"delete": true, "edit": true},
				"billing": map[string]any{"usage": map[string]any{"write": false}},
			},
		},
		{
			name: "tree wins on shape conflict",
			tree: Tree{"chat": true},
			want: Tree{"chat": true, "billing": map[string]any{"usage": map[string]any{"write": false}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fill(tt.tree, defaults); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("result shares no maps", func(t *testing.T) {
		in := Tree{"chat": map[string]any{"delete": false}}
		got := Fill(in, defaults)
		got["chat"].(map[string]any)["delete"] = true
		got["billing"].(map[string]any)["usage"].(map[string]any)["write"] = true
		if Has(in, "chat.delete") || Has(defaults, "billing.usage.write") {
			t.Errorf("changing the result of Fill changed its inputs")
		}
	})

	t.Run("partial config filled from Defaults", func(t *testing.T) {
		got := Fill(Tree{"chat": map[string]any{"delete": false}}, Defaults())
		wantKeys(t, got, with(nil, "chat.delete")...)
	})
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name    string
		trees   []Tree
		wantHas map[string]bool
	}{
		{name: "none", trees: nil, wantHas: map[string]bool{"chat.delete": false}},
		{
			name:    "defaults only",
			trees:   []Tree{Defaults()},
			wantHas: map[string]bool{"chat.delete": true, "workspace.models": false, "billing.usage.write": false},
		},
		{
			name:    "one group granting",
			trees:   []Tree{Defaults(), {"workspace": map[string]any{"models": true}}},
			wantHas: map[string]bool{"workspace.models": true, "workspace.tools": false, "chat.delete": true},
		},
		{
			name: "two groups",
			trees: []Tree{
				Defaults(),
				{"workspace": map[string]any{"models": true, "tools": false}},
				{"workspace": map[string]any{"tools": true}, "billing": map[string]any{"usage": map[string]any{"write": true}}},
			},
			wantHas: map[string]bool{"workspace.models": true, "workspace.tools": true, "billing.usage.write": true, "workspace.prompts": false},
		},
		{
			name:    "false in a group cannot revoke",
			trees:   []Tree{Defaults(), {"chat": map[string]any{"delete": false}}},
			wantHas: map[string]bool{"chat.delete": true},
		},
		{
			name:    "missing key is false",
			trees:   []Tree{{"chat": map[string]any{"edit": true}}},
			wantHas: map[string]bool{"chat.edit": true, "chat.delete": false, "features.notes": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Merge(tt.trees...)
			for k, want := range tt.wantHas {
				if g := Has(got, k); g != want {
					t.Errorf("Has(%s) = %v, want %v", k, g, want)
				}
			}
		})
	}

	t.Run("keeps false keys", func(t *testing.T) {
		got := Flatten(Merge(Tree{"chat": map[string]any{"delete": false}}))
		if v, ok := got["chat.delete"]; !ok || v {
			t.Errorf("got chat.delete = %v (present %v), want false and present", v, ok)
		}
	})
}

func TestHas(t *testing.T) {
	tree := Tree{
		"chat":    map[string]any{"delete": true, "edit": false, "share": "true"},
		"billing": Tree{"usage": map[string]any{"write": true}},
		"flag":    true,
	}
	tests := []struct {
		name string
		key  string
		want bool
	}{
		{name: "true leaf", key: "chat.delete", want: true},
		{name: "false leaf", key: "chat.edit", want: false},
		{name: "non-bool leaf", key: "chat.share", want: false},
		{name: "missing leaf", key: "chat.export", want: false},
		{name: "missing section", key: "workspace.models", want: false},
		{name: "section", key: "chat", want: false},
		{name: "through a leaf", key: "chat.delete.x", want: false},
		{name: "three levels through nested Tree", key: "billing.usage.write", want: true},
		{name: "top-level leaf", key: "flag", want: true},
		{name: "empty", key: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Has(tree, tt.key); got != tt.want {
				t.Errorf("Has(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}

	if Has(nil, "chat.delete") {
		t.Errorf("Has(nil) = true, want false")
	}
}

func TestAllGranted(t *testing.T) {
	wantKeys(t, AllGranted(), Keys()...)
}

// Group fixtures shared with the Explain tests.
var (
	engineering = GroupGrant{
		GroupID: "g-eng", GroupName: "Engineering",
		Permissions: Tree{"workspace": map[string]any{"models": true, "tools": true}},
	}
	ops = GroupGrant{
		GroupID: "g-ops", GroupName: "Ops",
		Permissions: Tree{
			"workspace": map[string]any{"models": true},
			"billing":   map[string]any{"usage": map[string]any{"write": true}},
		},
	}
	interns = GroupGrant{
		GroupID: "g-int", GroupName: "Interns",
		Permissions: Tree{"features": map[string]any{"api_keys": true}},
		Denied:      []string{"chat.delete", "workspace.models", "features.api_keys"},
	}
	unnamed = GroupGrant{GroupID: "g-x", Denied: []string{"chat.share", "chat.share", "no.such"}}
)

func TestEffective(t *testing.T) {
	tests := []struct {
		name     string
		isAdmin  bool
		defaults Tree
		groups   []GroupGrant
		wantTrue []string
	}{
		{name: "nil defaults are Open WebUI's", wantTrue: defaultTrue},
		{name: "defaults only", defaults: Defaults(), wantTrue: defaultTrue},
		{
			name:     "partial configured defaults filled",
			defaults: Tree{"chat": map[string]any{"delete": false}, "workspace": map[string]any{"prompts": true}},
			wantTrue: with([]string{"workspace.prompts"}, "chat.delete"),
		},
		{
			name:     "non-bool configured default falls back",
			defaults: Tree{"chat": map[string]any{"delete": "no"}},
			wantTrue: defaultTrue,
		},
		{
			name:     "unknown configured keys dropped",
			defaults: Tree{"custom": map[string]any{"x": true}},
			wantTrue: defaultTrue,
		},
		{
			name:     "one group granting",
			groups:   []GroupGrant{engineering},
			wantTrue: with([]string{"workspace.models", "workspace.tools"}),
		},
		{
			name:     "two groups",
			groups:   []GroupGrant{engineering, ops},
			wantTrue: with([]string{"workspace.models", "workspace.tools", "billing.usage.write"}),
		},
		{
			name:     "group false cannot revoke a default",
			groups:   []GroupGrant{{GroupID: "g", Permissions: Tree{"chat": map[string]any{"delete": false}}}},
			wantTrue: defaultTrue,
		},
		{
			name:     "deny overrides a default",
			groups:   []GroupGrant{{GroupID: "g", Denied: []string{"chat.delete"}}},
			wantTrue: with(nil, "chat.delete"),
		},
		{
			name:     "deny overrides another group's grant",
			groups:   []GroupGrant{engineering, interns},
			wantTrue: with([]string{"workspace.tools"}, "chat.delete"),
		},
		{
			name:     "deny overrides its own group's grant",
			groups:   []GroupGrant{interns},
			wantTrue: with(nil, "chat.delete"),
		},
		{
			name:     "duplicate and unknown denials",
			groups:   []GroupGrant{unnamed},
			wantTrue: with(nil, "chat.share"),
		},
		{name: "admin", isAdmin: true, wantTrue: Keys()},
		{
			name:     "admin ignores denials and defaults",
			isAdmin:  true,
			defaults: Tree{"chat": map[string]any{"delete": false}},
			groups:   []GroupGrant{interns, unnamed},
			wantTrue: Keys(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKeys(t, Effective(tt.isAdmin, tt.defaults, tt.groups), tt.wantTrue...)
		})
	}

	t.Run("inputs unchanged", func(t *testing.T) {
		defaults := Tree{"chat": map[string]any{"delete": true}}
		groups := []GroupGrant{engineering, interns}
		Effective(false, defaults, groups)
		if !reflect.DeepEqual(defaults, Tree{"chat": map[string]any{"delete": true}}) {
			t.Errorf("got defaults %v after Effective, want them unchanged", defaults)
		}
		if !Has(engineering.Permissions, "workspace.models") || Has(engineering.Permissions, "chat.delete") {
			t.Errorf("got group tree %v after Effective, want it unchanged", engineering.Permissions)
		}
	})
}
