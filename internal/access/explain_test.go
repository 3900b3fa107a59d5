package access

import (
	"reflect"
	"testing"
)

func TestExplain(t *testing.T) {
	defaultOn := Source{Kind: SourceDefault, Value: true}
	defaultOff := Source{Kind: SourceDefault, Value: false}
	grant := func(g GroupGrant) Source {
		return Source{Kind: SourceGroupGrant, GroupID: g.GroupID, GroupName: g.GroupName, Value: true}
	}
	deny := func(g GroupGrant) Source {
		return Source{Kind: SourceGroupDeny, GroupID: g.GroupID, GroupName: g.GroupName, Value: false}
	}

	tests := []struct {
		name        string
		isAdmin     bool
		defaults    Tree
		groups      []GroupGrant
		key         string
		wantGranted bool
		wantKnown   bool
		wantSources []Source
		wantReason  string
	}{
		{
			name: "default true", key: "chat.delete",
			wantGranted: true, wantKnown: true,
			wantSources: []Source{defaultOn},
			wantReason:  "granted by defaults",
		},
		{
			name: "default false, no group", key: "workspace.models",
			wantKnown:   true,
			wantSources: []Source{defaultOff},
			wantReason:  "not granted: off by default and no group grants it",
		},
		{
			name: "configured default false", key: "chat.delete",
			defaults:    Tree{"chat": map[string]any{"delete": false}},
			wantKnown:   true,
			wantSources: []Source{defaultOff},
			wantReason:  "not granted: off by default and no group grants it",
		},
		{
			name: "granted by one group", key: "workspace.tools",
			groups:      []GroupGrant{engineering, ops},
			wantGranted: true, wantKnown: true,
			wantSources: []Source{grant(engineering)},
			wantReason:  "granted by group Engineering",
		},
		{
			name: "granted by two groups", key: "workspace.models",
			groups:      []GroupGrant{engineering, ops},
			wantGranted: true, wantKnown: true,
			wantSources: []Source{grant(engineering), grant(ops)},
			wantReason:  "granted by groups Engineering and Ops",
		},
		{
			name: "granted by defaults and a group", key: "chat.edit",
			groups:      []GroupGrant{{GroupID: "g-c", GroupName: "Chatters", Permissions: Tree{"chat": map[string]any{"edit": true}}}},
			wantGranted: true, wantKnown: true,
			wantSources: []Source{defaultOn, {Kind: SourceGroupGrant, GroupID: "g-c", GroupName: "Chatters", Value: true}},
			wantReason:  "granted by defaults and group Chatters",
		},
		{
			name: "three levels", key: "billing.usage.write",
			groups:      []GroupGrant{ops},
			wantGranted: true, wantKnown: true,
			wantSources: []Source{grant(ops)},
			wantReason:  "granted by group Ops",
		},
		{
			name: "deny overrides a default", key: "chat.delete",
			groups:      []GroupGrant{interns},
			wantKnown:   true,
			wantSources: []Source{defaultOn, deny(interns)},
			wantReason:  "denied by group Interns, which overrides grants from defaults",
		},
		{
			name: "deny overrides a group grant", key: "workspace.models",
			groups:      []GroupGrant{engineering, interns},
			wantKnown:   true,
			wantSources: []Source{grant(engineering), deny(interns)},
			wantReason:  "denied by group Interns, which overrides grants from group Engineering",
		},
		{
			name: "deny overrides the denying group's own grant", key: "features.api_keys",
			groups:      []GroupGrant{interns},
			wantKnown:   true,
			wantSources: []Source{grant(interns), deny(interns)},
			wantReason:  "denied by group Interns, which overrides grants from group Interns",
		},
		{
			name: "two denials, unnamed group by ID, listed once", key: "chat.share",
			groups:    []GroupGrant{unnamed, {GroupID: "g-y", GroupName: "Auditors", Denied: []string{"chat.share"}}},
			wantKnown: true,
			wantSources: []Source{
				defaultOn, deny(unnamed),
				{Kind: SourceGroupDeny, GroupID: "g-y", GroupName: "Auditors", Value: false},
			},
			wantReason: "denied by groups g-x and Auditors, which override grants from defaults",
		},
		{
			name: "deny with nothing to override", key: "workspace.prompts",
			groups:      []GroupGrant{{GroupID: "g", GroupName: "Locked", Denied: []string{"workspace.prompts"}}},
			wantKnown:   true,
			wantSources: []Source{{Kind: SourceGroupDeny, GroupID: "g", GroupName: "Locked", Value: false}},
			wantReason:  "denied by group Locked",
		},
		{
			name: "admin", key: "workspace.models", isAdmin: true,
			groups:      []GroupGrant{interns},
			wantGranted: true, wantKnown: true,
			wantSources: []Source{{Kind: SourceAdminRole, Value: true}},
			wantReason:  "granted: admins have every permission",
		},
		{
			name: "unknown key", key: "chat.nope",
			groups:      []GroupGrant{{GroupID: "g", Permissions: Tree{"chat": map[string]any{"nope": true}}}},
			wantSources: []Source{},
			wantReason:  "not granted: unknown permission key",
		},
		{
			name: "unknown key for an admin", key: "chat", isAdmin: true,
			wantSources: []Source{},
			wantReason:  "not granted: unknown permission key",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Explain(tt.isAdmin, tt.defaults, tt.groups, tt.key)
			want := Explanation{
				Key: tt.key, Granted: tt.wantGranted, Known: tt.wantKnown,
				Sources: tt.wantSources, Reason: tt.wantReason,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestExplainAgreesWithEffective holds Explain to its contract for every key, plus a few unknown
// ones, across fixtures that mix every kind of source.
func TestExplainAgreesWithEffective(t *testing.T) {
	fixtures := []struct {
		name     string
		isAdmin  bool
		defaults Tree
		groups   []GroupGrant
	}{
		{name: "nothing"},
		{name: "defaults", defaults: Defaults()},
		{name: "configured defaults", defaults: Tree{"chat": map[string]any{"delete": false, "edit": "x"}, "sharing": map[string]any{"models": true}}},
		{name: "grants", groups: []GroupGrant{engineering, ops}},
		{name: "grants and denials", groups: []GroupGrant{engineering, ops, interns, unnamed}},
		{name: "everything granted, then denied", groups: []GroupGrant{
			{GroupID: "all", Permissions: AllGranted()},
			{GroupID: "none", Denied: Keys()},
		}},
		{name: "admin", isAdmin: true, groups: []GroupGrant{interns}},
	}
	keys := append(Keys(), "", "chat", "chat.nope", "billing.usage", "chat.delete.x")
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			effective := Effective(f.isAdmin, f.defaults, f.groups)
			for _, k := range keys {
				e := Explain(f.isAdmin, f.defaults, f.groups, k)
				if want := Has(effective, k); e.Granted != want {
					t.Errorf("%q: got Granted %v, want Has(Effective) %v (%s)", k, e.Granted, want, e.Reason)
				}
				if want := IsKnownKey(k); e.Known != want {
					t.Errorf("%q: got Known %v, want %v", k, e.Known, want)
				}
				if e.Known && len(e.Sources) == 0 {
					t.Errorf("%q: got no sources for a known key", k)
				}
				if e.Reason == "" {
					t.Errorf("%q: got an empty reason", k)
				}
			}
		})
	}
}
