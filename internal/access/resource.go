package access

import (
	"maps"
	"slices"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// Permission is an action on a shared resource.
type Permission string

// The permissions of AccessControl.
const (
	PermissionRead  Permission = "read"
	PermissionWrite Permission = "write"
)

// Principals lists who an access rule admits: members of any of GroupIDs and the users UserIDs.
type Principals struct {
	GroupIDs []string `json:"group_ids"`
	UserIDs  []string `json:"user_ids"`
}

// AccessControl is Open WebUI's access_control value of a resource. A nil *AccessControl means
// public: every verified user reads, only the owner and admins write. A non-nil value with
// empty lists means private: only the owner and admins.
type AccessControl struct {
	Read  Principals `json:"read"`
	Write Principals `json:"write"`
}

// Subject is who is asking. Callers pass only authenticated, verified users.
type Subject struct {
	UserID   string
	IsAdmin  bool
	GroupIDs []string
}

// Policy holds the settings of resource access. The zero value does not bypass; use
// DefaultPolicy for Open WebUI's default.
type Policy struct {
	// BypassAdmin is BYPASS_ADMIN_ACCESS_CONTROL: admins may read and write every resource.
	// When false, admins follow the same rules as everyone else.
	BypassAdmin bool
}

// DefaultPolicy returns Open WebUI's default Policy, which lets admins bypass access control.
func DefaultPolicy() Policy { return Policy{BypassAdmin: true} }

// Can reports whether subject may act with perm on a resource owned by ownerID whose access
// control is ac. Admins pass when p.BypassAdmin; the owner always reads and writes. Otherwise a
// nil ac lets everyone read and nobody write; a non-nil ac grants write to the users and groups
// of ac.Write and read to those of ac.Read or ac.Write, since write implies read. Empty IDs never
// match, so a subject without a UserID is never the owner. An unknown perm is never granted.
func (p Policy) Can(subject Subject, ownerID string, ac *AccessControl, perm Permission) bool {
	if perm != PermissionRead && perm != PermissionWrite {
		return false
	}
	if subject.IsAdmin && p.BypassAdmin {
		return true
	}
	if subject.UserID != "" && subject.UserID == ownerID {
		return true
	}
	if ac == nil {
		return perm == PermissionRead
	}
	if admits(ac.Write, subject) {
		return true
	}
	return perm == PermissionRead && admits(ac.Read, subject)
}

func admits(p Principals, s Subject) bool {
	if s.UserID != "" && slices.Contains(p.UserIDs, s.UserID) {
		return true
	}
	for _, g := range s.GroupIDs {
		if g != "" && slices.Contains(p.GroupIDs, g) {
			return true
		}
	}
	return false
}

// ParseAccessControl decodes access control from its JSON shape, as GraphQL hands it over:
// nil (public) gives nil, and a map[string]any with optional "read" and "write" objects, each
// with optional "group_ids" and "user_ids" lists of non-empty strings ([]any or []string),
// gives an *AccessControl whose lists are never nil. A JSON null in place of an object or list
// counts as absent. Anything else, including unknown keys, gives an errs.Invalid error whose
// Field is the dotted path, e.g. "accessControl.read.group_ids"; unknown keys are reported in
// sorted order.
func ParseAccessControl(v any) (*AccessControl, error) {
	if v == nil {
		return nil, nil
	}
	const field = "accessControl"
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errs.Invalid(field, "must be an object or null")
	}
	if err := checkKeys(field, m, "read", "write"); err != nil {
		return nil, err
	}
	read, err := parsePrincipals(field+".read", m["read"])
	if err != nil {
		return nil, err
	}
	write, err := parsePrincipals(field+".write", m["write"])
	if err != nil {
		return nil, err
	}
	return &AccessControl{Read: read, Write: write}, nil
}

func parsePrincipals(field string, v any) (Principals, error) {
	p := Principals{GroupIDs: []string{}, UserIDs: []string{}}
	if v == nil {
		return p, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return p, errs.Invalid(field, "must be an object")
	}
	if err := checkKeys(field, m, "group_ids", "user_ids"); err != nil {
		return p, err
	}
	var err error
	if p.GroupIDs, err = parseIDs(field+".group_ids", m["group_ids"]); err != nil {
		return p, err
	}
	if p.UserIDs, err = parseIDs(field+".user_ids", m["user_ids"]); err != nil {
		return p, err
	}
	return p, nil
}

func parseIDs(field string, v any) ([]string, error) {
	const msg = "must be a list of non-empty strings"
	var items []any
	switch l := v.(type) {
	case nil:
		return []string{}, nil
	case []string:
		// Go callers build the input by hand; accept their natural type too.
		for _, s := range l {
			items = append(items, s)
		}
	case []any:
		items = l
	default:
		return nil, errs.Invalid(field, msg)
	}
	ids := make([]string, 0, len(items))
	for _, item := range items {
		s, ok := item.(string)
		if !ok || s == "" {
			return nil, errs.Invalid(field, msg)
		}
		ids = append(ids, s)
	}
	return ids, nil
}

func checkKeys(field string, m map[string]any, allowed ...string) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !slices.Contains(allowed, k) {
			return errs.Invalid(field+"."+k, "unknown key, expected "+strings.Join(allowed, " or "))
		}
	}
	return nil
}
