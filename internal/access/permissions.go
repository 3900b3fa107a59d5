// Package access reproduces Open WebUI's user permission system: the default permission tree,
// the most-permissive merge of group grants, steward's group denials, the explanation of one
// permission, and the access_control rules of shared resources such as models.
//
// The package is pure: it holds no state and reads no settings, so callers pass the configured
// default tree, the user's groups and the admin bypass flag in.
package access

import (
	"maps"
	"slices"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// Tree is a nested permission tree: section -> key -> bool, e.g. {"chat": {"delete": true}}.
// It has the shape of decoded JSON: nested sections are plain map[string]any (functions of this
// package also accept nested Tree values) and leaves are bools. Sections may nest to any depth;
// the dotted key "billing.usage.write" names {"billing": {"usage": {"write": ...}}}.
//
// Functions of this package never modify the trees they are given and every Tree they return
// is a fresh copy the caller may change.
type Tree map[string]any

// defaultTree is Open WebUI's default USER_PERMISSIONS plus steward's billing section. It is a
// function rather than a variable so every caller gets maps nobody else holds.
func defaultTree() map[string]any {
	return map[string]any{
		"workspace": map[string]any{
			"models":         false,
			"knowledge":      false,
			"prompts":        false,
			"tools":          false,
			"models_import":  false,
			"models_export":  false,
			"prompts_import": false,
			"prompts_export": false,
			"tools_import":   false,
			"tools_export":   false,
		},
		"sharing": map[string]any{
			"models":           false,
			"public_models":    false,
			"knowledge":        false,
			"public_knowledge": false,
			"prompts":          false,
			"public_prompts":   false,
			"tools":            false,
			"public_tools":     false,
			"notes":            false,
			"public_notes":     false,
		},
		"chat": map[string]any{
			"controls":            true,
			"valves":              true,
			"system_prompt":       true,
			"params":              true,
			"file_upload":         true,
			"delete":              true,
			"delete_message":      true,
			"continue_response":   true,
			"regenerate_response": true,
			"rate_response":       true,
			"edit":                true,
			"share":               true,
			"export":              true,
			"stt":                 true,
			"tts":                 true,
			"call":                true,
			"multiple_models":     true,
			"temporary":           true,
			"temporary_enforced":  false,
		},
		"features": map[string]any{
			"api_keys":            false,
			"notes":               true,
			"folders":             true,
			"channels":            true,
			"direct_tool_servers": false,
			"web_search":          true,
			"image_generation":    true,
			"code_interpreter":    true,
		},
		// The billing API's permission is named billing.usage.write, so this section nests one
		// level deeper than Open WebUI's; every function here works on any depth because of it.
		"billing": map[string]any{
			"usage": map[string]any{
				"write": false,
			},
		},
		// gateway.forward_user lets a service key name the user of a gateway call in Open WebUI's
		// forwarded headers (internal/gateway).
		"gateway": map[string]any{
			"forward_user": false,
		},
	}
}

// Computed once: the default tree is constant, and Effective and Explain consult them per key.
var (
	defaultValues = Flatten(defaultTree())
	knownKeys     = slices.Sorted(maps.Keys(defaultValues))
)

// Defaults returns a fresh deep copy of the full default permission tree: Open WebUI's
// workspace, sharing, chat and features sections plus steward's billing.usage.write.
func Defaults() Tree { return defaultTree() }

// Keys returns every known dotted permission key ("chat.delete"), sorted. The slice is a copy.
func Keys() []string { return slices.Clone(knownKeys) }

// IsKnownKey reports whether key is a dotted key of a leaf of the default tree. Section names
// such as "chat" are not keys.
func IsKnownKey(key string) bool {
	_, ok := defaultValues[key]
	return ok
}

// KnownOnly splits a permission tree of another system (Open WebUI's, which grows keys steward
// does not have) into the leaves steward knows, as a tree, and the dotted keys of the others.
func KnownOnly(t map[string]any) (known map[string]any, unknown []string) {
	keep := map[string]bool{}
	for k, v := range Flatten(Tree(t)) {
		if IsKnownKey(k) {
			keep[k] = v
		} else {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	return map[string]any(Unflatten(keep)), unknown
}

// AllGranted returns a tree holding every known key set to true, which is what an admin has.
func AllGranted() Tree {
	all := make(map[string]bool, len(knownKeys))
	for _, k := range knownKeys {
		all[k] = true
	}
	return Unflatten(all)
}

// Validate checks a tree, possibly partial as it comes from JSON input, against the default
// tree: every section must be a known section holding an object, and every leaf a known key
// holding a bool. Missing keys are fine, and nil or empty trees are valid.
//
// On failure it returns an errs.Invalid error whose Field is the dotted path of the first
// offending entry in sorted order and whose Message is "unknown permission key" (the path is
// not in the default tree; a dotted map key such as {"chat.delete": true} is unknown too,
// because nesting must follow the tree), "must be a boolean" (a known key holds something
// else) or "must be an object" (a known section holds something else).
func Validate(t map[string]any) error {
	var problems []*errs.Error
	validateNode("", t, defaultTree(), &problems)
	if len(problems) == 0 {
		return nil
	}
	// A depth-first walk is not in dotted-string order ("a.x" vs "a-b"), so sort explicitly.
	return slices.MinFunc(problems, func(a, b *errs.Error) int { return strings.Compare(a.Field, b.Field) })
}

func validateNode(prefix string, got, want map[string]any, problems *[]*errs.Error) {
	for k, v := range got {
		path := joinKey(prefix, k)
		def, ok := want[k]
		if !ok {
			*problems = append(*problems, errUnknownKey(path))
			continue
		}
		if defSection, isSection := asMap(def); isSection {
			section, ok := asMap(v)
			if !ok {
				*problems = append(*problems, errNotObject(path))
				continue
			}
			validateNode(path, section, defSection, problems)
			continue
		}
		if _, ok := v.(bool); !ok {
			*problems = append(*problems, errNotBool(path))
		}
	}
}

// ValidateKeys checks a list of dotted keys, such as a group's denials. The first key, in the
// given order, that IsKnownKey rejects yields an errs.Invalid error with that key as Field and
// "unknown permission key" as Message.
func ValidateKeys(keys []string) error {
	for _, k := range keys {
		if !IsKnownKey(k) {
			return errUnknownKey(k)
		}
	}
	return nil
}

// Flatten returns the bool leaves of t by dotted key. Leaves that are not bools are left out, as
// Has treats them as false anyway. A nil tree gives an empty, non-nil map.
func Flatten(t Tree) map[string]bool {
	out := make(map[string]bool)
	flattenInto(out, "", t)
	return out
}

func flattenInto(out map[string]bool, prefix string, node map[string]any) {
	for k, v := range node {
		path := joinKey(prefix, k)
		if section, ok := asMap(v); ok {
			flattenInto(out, path, section)
		} else if b, ok := v.(bool); ok {
			out[path] = b
		}
	}
}

// Unflatten builds a tree from dotted keys, splitting each key on "." into nested sections. It
// does not validate the keys. When one key names a section of another ("a" and "a.b"), the
// section wins and the shorter key is dropped, because known keys are always leaves.
func Unflatten(m map[string]bool) Tree {
	out := Tree{}
	// Sorted, so a shorter key is always set before any longer key that needs it as a section.
	for _, key := range slices.Sorted(maps.Keys(m)) {
		node := map[string]any(out)
		parts := strings.Split(key, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := asMap(node[p])
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		last := parts[len(parts)-1]
		if _, isSection := asMap(node[last]); isSection {
			continue
		}
		node[last] = m[key]
	}
	return out
}

// Fill returns a deep copy of t in which every entry of defaults that t lacks is copied in,
// section by section at any depth. Entries of t always win, even where their shape differs
// from defaults, and entries of t that defaults lacks are kept. A nil t gives a copy of defaults.
func Fill(t Tree, defaults Tree) Tree {
	return fillNode(t, defaults)
}

func fillNode(t, defaults map[string]any) map[string]any {
	out := copyMap(t)
	for k, dv := range defaults {
		tv, ok := out[k]
		if !ok {
			out[k] = copyValue(dv)
			continue
		}
		dm, dIsSection := asMap(dv)
		tm, tIsSection := asMap(tv)
		if dIsSection && tIsSection {
			out[k] = fillNode(tm, dm)
		}
	}
	return out
}

// Merge returns the most-permissive union of trees, as Open WebUI combines group permissions:
// the result holds every bool leaf of any tree, true if it is true in at least one tree.
// Leaves that are not bools are dropped. With no trees it returns an empty tree.
func Merge(trees ...Tree) Tree {
	union := make(map[string]bool)
	for _, t := range trees {
		for k, v := range Flatten(t) {
			union[k] = union[k] || v
		}
	}
	return Unflatten(union)
}

// Has reports whether the dotted key is true in t. A missing key, a key naming a section and a
// leaf that is not a bool all count as false.
func Has(t Tree, key string) bool {
	v, ok := lookup(t, key)
	b, isBool := v.(bool)
	return ok && isBool && b
}

// GroupGrant is what one group contributes to a member's permissions.
type GroupGrant struct {
	GroupID   string
	GroupName string
	// Permissions is the group's tree. Only true leaves matter: groups can grant, never revoke.
	Permissions Tree
	// Denied lists dotted keys this group takes away from its members; steward's addition to
	// Open WebUI. Unknown keys are ignored here (ValidateKeys rejects them on input).
	Denied []string
}

// Effective returns the permission tree of a user. Admins get AllGranted() and no denial applies
// to them. Anyone else starts from defaults, with every known key defaults lacks (or holds as a
// non-bool) taken from Defaults(); each group's Permissions are then ORed in, most permissive
// winning as in Open WebUI; finally every key any group denies is set to false, so a denial
// beats every grant including the defaults. The result holds every known key and nothing else,
// so Has(Effective(...), key) agrees with Explain for unknown keys too.
func Effective(isAdmin bool, defaults Tree, groups []GroupGrant) Tree {
	if isAdmin {
		return AllGranted()
	}
	denied := make(map[string]bool)
	for _, g := range groups {
		for _, k := range g.Denied {
			denied[k] = true
		}
	}
	out := make(map[string]bool, len(knownKeys))
	for _, k := range knownKeys {
		granted := defaultValue(defaults, k)
		for _, g := range groups {
			granted = granted || Has(g.Permissions, k)
		}
		out[k] = granted && !denied[k]
	}
	return Unflatten(out)
}

// defaultValue is the configured default of a known key, falling back to Open WebUI's default
// when the configured tree lacks it, as Fill(defaults, Defaults()) would.
func defaultValue(defaults Tree, key string) bool {
	if v, ok := lookup(defaults, key); ok {
		if b, ok := v.(bool); ok {
			return b
		}
	}
	return defaultValues[key]
}

// lookup walks the dotted key through nested sections.
func lookup(t map[string]any, key string) (any, bool) {
	var node any = t
	for p := range strings.SplitSeq(key, ".") {
		m, ok := asMap(node)
		if !ok {
			return nil, false
		}
		if node, ok = m[p]; !ok {
			return nil, false
		}
	}
	return node, true
}

// asMap accepts both shapes a section can have: map[string]any from JSON and Tree from Go code.
// A typed nil map is an empty section; an untyped nil (JSON null) is not a section.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case Tree:
		return m, true
	}
	return nil, false
}

// copyMap deep-copies sections so returned trees never share maps with the caller's; nested
// sections come out as plain map[string]any, the JSON shape.
func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v any) any {
	if m, ok := asMap(v); ok {
		return copyMap(m)
	}
	return v
}

func joinKey(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}
