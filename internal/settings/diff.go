package settings

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/steward-dev/steward/internal/audit"
)

// Change is one changed field of a section; secrets show as audit.Redacted's placeholders.
type Change struct {
	Section string
	Field   string
	Old     any
	New     any
}

// secretFields are the JSON names of write-only values: their changes are recorded, never their
// values. Header values are treated as secrets too, since they usually carry credentials.
var secretFields = []string{"key", "token", "password", "clientSecret", "appPassword"}

func isSecretPath(path string) bool {
	parts := strings.Split(path, ".")
	return slices.Contains(secretFields, parts[len(parts)-1]) || slices.Contains(parts, "headers")
}

// diff compares two values of one section field by field (dotted JSON paths, list items by
// index), in a stable order.
func diff(section string, old, cur any) ([]Change, error) {
	a, err := flatten(old)
	if err != nil {
		return nil, err
	}
	b, err := flatten(cur)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []Change
	for _, k := range keys {
		x, inA := a[k]
		y, inB := b[k]
		if inA == inB && reflect.DeepEqual(x, y) {
			continue
		}
		c := Change{Section: section, Field: k, Old: x, New: y}
		if isSecretPath(k) {
			r := audit.Redacted()
			c.Old, c.New = r.Old, r.New
			if !inA || x == "" {
				c.Old = nil
			}
			if !inB || y == "" {
				c.New = "[removed]"
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// auditChanges turns a diff into the audit entry's map.
func auditChanges(cs []Change) map[string]audit.Change {
	m := make(map[string]audit.Change, len(cs))
	for _, c := range cs {
		m[c.Field] = audit.Change{Old: c.Old, New: c.New}
	}
	return m
}

// flatten maps every leaf of v's JSON form to its dotted path. Empty objects and lists are leaves,
// so that clearing a list shows as a change.
func flatten(v any) (map[string]any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	out := map[string]any{}
	var walk func(prefix string, n any)
	walk = func(prefix string, n any) {
		join := func(k string) string {
			if prefix == "" {
				return k
			}
			return prefix + "." + k
		}
		switch t := n.(type) {
		case map[string]any:
			if len(t) == 0 && prefix != "" {
				out[prefix] = t
			}
			for k, v := range t {
				walk(join(k), v)
			}
		case []any:
			if len(t) == 0 {
				out[prefix] = t
			}
			for i, v := range t {
				walk(join(fmt.Sprint(i)), v)
			}
		default:
			out[prefix] = t
		}
	}
	walk("", tree)
	return out, nil
}
