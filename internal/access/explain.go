package access

import (
	"fmt"
	"strings"
)

// SourceKind says where a permission value came from.
type SourceKind string

// The kinds of Source.
const (
	// SourceAdminRole: the user is an admin, who has every permission.
	SourceAdminRole SourceKind = "ADMIN_ROLE"
	// SourceDefault: the default tree for every user.
	SourceDefault SourceKind = "DEFAULT"
	// SourceGroupGrant: a group's permission tree sets the key to true.
	SourceGroupGrant SourceKind = "GROUP_GRANT"
	// SourceGroupDeny: a group lists the key among its denials.
	SourceGroupDeny SourceKind = "GROUP_DENY"
)

// Source is one input that decided a permission. GroupID and GroupName are set only for the
// group kinds. Value is what this source says: true for grants, false for denials.
type Source struct {
	Kind      SourceKind
	GroupID   string
	GroupName string
	Value     bool
}

// Explanation says the final answer for one key and each source that decided it.
type Explanation struct {
	Key     string
	Granted bool
	// Known is false when Key is not a known permission key; Granted is then false.
	Known   bool
	Sources []Source
	// Reason is one human sentence, e.g. "granted by group Engineering".
	Reason string
}

// Explain says whether the user described by isAdmin, defaults and groups has key, and why.
// Granted always equals Has(Effective(isAdmin, defaults, groups), key).
//
// Sources, never nil, is empty for an unknown key and holds one ADMIN_ROLE source for an admin.
// For anyone else it holds, in this order, the DEFAULT source if the default is true, one
// GROUP_GRANT source per group whose tree sets the key to true and one GROUP_DENY source per
// group that denies it, each in the order of groups; when none of these exists it holds a
// single DEFAULT source with Value false, since the default alone decided.
func Explain(isAdmin bool, defaults Tree, groups []GroupGrant, key string) Explanation {
	e := Explanation{Key: key, Known: IsKnownKey(key), Sources: []Source{}}
	switch {
	case !e.Known:
		e.Reason = "not granted: unknown permission key"
		return e
	case isAdmin:
		e.Granted = true
		e.Sources = append(e.Sources, Source{Kind: SourceAdminRole, Value: true})
		e.Reason = "granted: admins have every permission"
		return e
	}

	var grants, denies []Source
	byDefault := defaultValue(defaults, key)
	if byDefault {
		grants = append(grants, Source{Kind: SourceDefault, Value: true})
	}
	for _, g := range groups {
		if Has(g.Permissions, key) {
			grants = append(grants, Source{Kind: SourceGroupGrant, GroupID: g.GroupID, GroupName: g.GroupName, Value: true})
		}
	}
	for _, g := range groups {
		for _, d := range g.Denied {
			if d == key {
				denies = append(denies, Source{Kind: SourceGroupDeny, GroupID: g.GroupID, GroupName: g.GroupName, Value: false})
				// One source per group even if it lists the key twice.
				break
			}
		}
	}

	e.Granted = len(grants) > 0 && len(denies) == 0
	e.Sources = append(append(e.Sources, grants...), denies...)
	switch {
	case len(denies) > 0 && len(grants) > 0:
		e.Reason = fmt.Sprintf("denied by %s, which %s grants from %s",
			describe(denies), pluralVerb(denies, "overrides", "override"), describe(grants))
	case len(denies) > 0:
		e.Reason = "denied by " + describe(denies)
	case len(grants) > 0:
		e.Reason = "granted by " + describe(grants)
	default:
		e.Sources = append(e.Sources, Source{Kind: SourceDefault, Value: false})
		e.Reason = "not granted: off by default and no group grants it"
	}
	return e
}

// describe names sources for a Reason: "defaults", "group Engineering",
// "defaults and groups Engineering and Ops".
func describe(sources []Source) string {
	var parts, groups []string
	for _, s := range sources {
		switch s.Kind {
		case SourceDefault:
			parts = append(parts, "defaults")
		case SourceGroupGrant, SourceGroupDeny:
			groups = append(groups, groupLabel(s))
		}
	}
	switch len(groups) {
	case 0:
	case 1:
		parts = append(parts, "group "+groups[0])
	default:
		parts = append(parts, "groups "+joinAnd(groups))
	}
	return strings.Join(parts, " and ")
}

// groupLabel prefers the name people know and falls back to the ID for unnamed groups.
func groupLabel(s Source) string {
	if s.GroupName != "" {
		return s.GroupName
	}
	return s.GroupID
}

func pluralVerb(sources []Source, one, many string) string {
	if len(sources) == 1 {
		return one
	}
	return many
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
