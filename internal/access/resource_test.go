package access

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCan(t *testing.T) {
	const owner = "u-owner"
	var (
		alice     = Subject{UserID: "u-alice", GroupIDs: []string{"g-eng"}}
		bob       = Subject{UserID: "u-bob", GroupIDs: []string{"g-sales", "g-ops"}}
		carol     = Subject{UserID: "u-carol"}
		ownerSubj = Subject{UserID: owner}
		admin     = Subject{UserID: "u-admin", IsAdmin: true}
		anonymous = Subject{}
		private   = &AccessControl{}
		shared    = &AccessControl{
			Read:  Principals{GroupIDs: []string{"g-eng"}, UserIDs: []string{"u-carol"}},
			Write: Principals{GroupIDs: []string{"g-ops"}},
		}
		emptyLists = &AccessControl{Read: Principals{GroupIDs: []string{}, UserIDs: []string{}}}
		withBlanks = &AccessControl{Read: Principals{GroupIDs: []string{""}, UserIDs: []string{""}}}
	)
	bypass := Policy{BypassAdmin: true}
	strict := Policy{}

	tests := []struct {
		name    string
		policy  Policy
		subject Subject
		// blankOwner models a resource without an owner; every other case is owned by owner.
		blankOwner bool
		ac         *AccessControl
		perm       Permission
		want       bool
	}{
		{name: "public: anyone reads", policy: bypass, subject: carol, ac: nil, perm: PermissionRead, want: true},
		{name: "public: others cannot write", policy: bypass, subject: carol, ac: nil, perm: PermissionWrite, want: false},
		{name: "public: owner writes", policy: bypass, subject: ownerSubj, ac: nil, perm: PermissionWrite, want: true},
		{name: "public: admin writes with bypass", policy: bypass, subject: admin, ac: nil, perm: PermissionWrite, want: true},
		{name: "public: admin without bypass reads", policy: strict, subject: admin, ac: nil, perm: PermissionRead, want: true},
		{name: "public: admin without bypass cannot write", policy: strict, subject: admin, ac: nil, perm: PermissionWrite, want: false},

		{name: "private: others cannot read", policy: bypass, subject: alice, ac: private, perm: PermissionRead, want: false},
		{name: "private: others cannot write", policy: bypass, subject: alice, ac: private, perm: PermissionWrite, want: false},
		{name: "private: owner reads", policy: strict, subject: ownerSubj, ac: private, perm: PermissionRead, want: true},
		{name: "private: owner writes", policy: strict, subject: ownerSubj, ac: private, perm: PermissionWrite, want: true},
		{name: "private: admin bypass on reads", policy: bypass, subject: admin, ac: private, perm: PermissionRead, want: true},
		{name: "private: admin bypass on writes", policy: bypass, subject: admin, ac: private, perm: PermissionWrite, want: true},
		{name: "private: admin bypass off cannot read", policy: strict, subject: admin, ac: private, perm: PermissionRead, want: false},
		{name: "private: admin bypass off cannot write", policy: strict, subject: admin, ac: private, perm: PermissionWrite, want: false},
		{name: "empty lists are private", policy: bypass, subject: alice, ac: emptyLists, perm: PermissionRead, want: false},

		{name: "read via group", policy: bypass, subject: alice, ac: shared, perm: PermissionRead, want: true},
		{name: "read group cannot write", policy: bypass, subject: alice, ac: shared, perm: PermissionWrite, want: false},
		{name: "read via user", policy: bypass, subject: carol, ac: shared, perm: PermissionRead, want: true},
		{name: "read user cannot write", policy: bypass, subject: carol, ac: shared, perm: PermissionWrite, want: false},
		{name: "write via group", policy: bypass, subject: bob, ac: shared, perm: PermissionWrite, want: true},
		{name: "write implies read", policy: bypass, subject: bob, ac: shared, perm: PermissionRead, want: true},
		{
			name: "write via user implies read", policy: bypass, subject: carol,
			ac: &AccessControl{Write: Principals{UserIDs: []string{"u-carol"}}}, perm: PermissionRead, want: true,
		},
		{
			name: "admin without bypass listed like anyone", policy: strict, subject: Subject{UserID: "u-admin", IsAdmin: true, GroupIDs: []string{"g-ops"}},
			ac: shared, perm: PermissionWrite, want: true,
		},
		{name: "unlisted user", policy: bypass, subject: Subject{UserID: "u-dave", GroupIDs: []string{"g-x"}}, ac: shared, perm: PermissionRead, want: false},

		{name: "blank IDs match nobody", policy: bypass, subject: anonymous, ac: withBlanks, perm: PermissionRead, want: false},
		{name: "blank subject is not a blank owner", policy: bypass, subject: anonymous, blankOwner: true, ac: private, perm: PermissionWrite, want: false},
		{name: "unknown permission", policy: bypass, subject: admin, ac: nil, perm: "delete", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ownerID := owner
			if tt.blankOwner {
				ownerID = ""
			}
			if got := tt.policy.Can(tt.subject, ownerID, tt.ac, tt.perm); got != tt.want {
				t.Errorf("Can(%+v, %q, %+v, %s) = %v, want %v", tt.subject, ownerID, tt.ac, tt.perm, got, tt.want)
			}
		})
	}
}

func TestDefaultPolicy(t *testing.T) {
	if got := DefaultPolicy(); !got.BypassAdmin {
		t.Errorf("got %+v, want BypassAdmin true as in Open WebUI", got)
	}
}

func TestParseAccessControl(t *testing.T) {
	empty := Principals{GroupIDs: []string{}, UserIDs: []string{}}
	tests := []struct {
		name      string
		in        any
		want      *AccessControl
		wantErr   bool
		wantField string
		wantMsg   string
	}{
		{name: "nil is public", in: nil, want: nil},
		{name: "empty object is private", in: map[string]any{}, want: &AccessControl{Read: empty, Write: empty}},
		{
			name: "full",
			in: map[string]any{
				"read":  map[string]any{"group_ids": []any{"g1", "g2"}, "user_ids": []any{"u1"}},
				"write": map[string]any{"group_ids": []any{}, "user_ids": []any{"u2"}},
			},
			want: &AccessControl{
				Read:  Principals{GroupIDs: []string{"g1", "g2"}, UserIDs: []string{"u1"}},
				Write: Principals{GroupIDs: []string{}, UserIDs: []string{"u2"}},
			},
		},
		{
			name: "nulls are absent",
			in:   map[string]any{"read": nil, "write": map[string]any{"group_ids": nil}},
			want: &AccessControl{Read: empty, Write: empty},
		},
		{
			name: "[]string accepted",
			in:   map[string]any{"read": map[string]any{"user_ids": []string{"u1"}}},
			want: &AccessControl{Read: Principals{GroupIDs: []string{}, UserIDs: []string{"u1"}}, Write: empty},
		},
		{
			name: "not an object", in: "public",
			wantErr: true, wantField: "accessControl", wantMsg: "must be an object or null",
		},
		{
			name: "unknown top-level key, first sorted", in: map[string]any{"zeta": 1, "owner": "u", "read": map[string]any{}},
			wantErr: true, wantField: "accessControl.owner", wantMsg: "unknown key, expected read or write",
		},
		{
			name: "unknown principals key", in: map[string]any{"read": map[string]any{"groupIds": []any{}}},
			wantErr: true, wantField: "accessControl.read.groupIds", wantMsg: "unknown key, expected group_ids or user_ids",
		},
		{
			name: "read not an object", in: map[string]any{"read": []any{"g1"}},
			wantErr: true, wantField: "accessControl.read", wantMsg: "must be an object",
		},
		{
			name: "ids not a list", in: map[string]any{"write": map[string]any{"user_ids": "u1"}},
			wantErr: true, wantField: "accessControl.write.user_ids", wantMsg: "must be a list of non-empty strings",
		},
		{
			name: "id not a string", in: map[string]any{"write": map[string]any{"group_ids": []any{"g1", 2.0}}},
			wantErr: true, wantField: "accessControl.write.group_ids", wantMsg: "must be a list of non-empty strings",
		},
		{
			name: "empty id", in: map[string]any{"read": map[string]any{"user_ids": []any{""}}},
			wantErr: true, wantField: "accessControl.read.user_ids", wantMsg: "must be a list of non-empty strings",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAccessControl(tt.in)
			wantInvalid(t, err, tt.wantErr, tt.wantField, tt.wantMsg)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}

	t.Run("decoded JSON round trip", func(t *testing.T) {
		const doc = `{"read":{"group_ids":["g1"],"user_ids":[]},"write":{"group_ids":[],"user_ids":["u1"]}}`
		var in any
		if err := json.Unmarshal([]byte(doc), &in); err != nil {
			t.Fatal(err)
		}
		ac, err := ParseAccessControl(in)
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		out, err := json.Marshal(ac)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(out); got != doc {
			t.Errorf("got %s, want %s", got, doc)
		}
	})
}
