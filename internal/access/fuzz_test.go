package access

import (
	"encoding/json"
	"testing"
)

// FuzzMerge merges two permission trees as they arrive in JSON. It must never panic, and for
// trees that pass Validate (the only ones stored) the merge grants a known key exactly when one
// of the trees grants it, passes Validate itself, and a group's denial beats every grant.
func FuzzMerge(f *testing.F) {
	f.Add(`{"chat": {"delete": true}}`, `{"workspace": {"models": true}}`, "chat.delete")
	f.Add(`{"chat": {"delete": false, "edit": true}}`, `{"chat": {"delete": true}}`, "chat.edit")
	f.Add(`{"chat.delete": true}`, `{}`, "chat.delete")
	f.Add(`{"chat": true}`, `{"chat": {"delete": "yes"}}`, "")
	f.Add(`null`, `[]`, "features.api_keys")
	f.Add(`{"a": {"b": {"c": {"d": true}}}}`, `{"a": {"b": null}}`, "a.b.c")
	f.Fuzz(func(t *testing.T, a, b, denied string) {
		var ta, tb Tree
		if json.Unmarshal([]byte(a), &ta) != nil || json.Unmarshal([]byte(b), &tb) != nil {
			return
		}
		m := Merge(ta, tb)
		eff := Effective(false, Defaults(), []GroupGrant{{Permissions: ta}, {Permissions: tb, Denied: []string{denied}}})
		if IsKnownKey(denied) && Has(eff, denied) {
			t.Fatalf("Effective grants %q although a group denies it", denied)
		}
		if Validate(ta) != nil || Validate(tb) != nil {
			return
		}
		if err := Validate(m); err != nil {
			t.Fatalf("Merge(%s, %s) = %v does not validate: %v", a, b, m, err)
		}
		for _, k := range Keys() {
			if got, want := Has(m, k), Has(ta, k) || Has(tb, k); got != want {
				t.Fatalf("Has(Merge(%s, %s), %q) = %v, want %v", a, b, k, got, want)
			}
		}
	})
}
