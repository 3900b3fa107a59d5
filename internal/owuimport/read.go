package owuimport

import (
	"context"
	"strings"
)

// snapshot is everything read from the source, before steward's transaction starts.
type snapshot struct {
	users   []row
	auth    map[string]row
	groups  []row
	members map[string][]string // group id -> user ids, in the source's order
	apiKeys []apiKey
	config  map[string]any
	models  []row
	// modelAccess is each model's access control rebuilt from the newest layout's access_grant
	// table (nil map: the layout keeps it in model.access_control).
	modelAccess map[string]any
	plans       []row
	subs        []row
	usage       []row
	txs         []row
	// billingAudit are the fork's billing_audit_log rows, oldest first.
	billingAudit []row
}

type apiKey struct {
	id, userID, key string
	r               row
}

// read loads every table the importer uses, noting in rep which layout each came from.
func read(ctx context.Context, s *Source, rep *Report) (*snapshot, error) {
	snap := &snapshot{auth: map[string]row{}, members: map[string][]string{}}
	var err error
	if snap.users, err = s.all(ctx, "user", "created_at, id"); err != nil {
		return nil, err
	}
	if s.Has("auth") {
		rows, err := s.all(ctx, "auth", "")
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			snap.auth[r.str("id")] = r
		}
	}
	if err := readGroups(ctx, s, snap, rep); err != nil {
		return nil, err
	}
	if err := readAPIKeys(ctx, s, snap, rep); err != nil {
		return nil, err
	}
	if err := readConfig(ctx, s, snap, rep); err != nil {
		return nil, err
	}
	if s.Has("model") {
		if snap.models, err = s.all(ctx, "model", "created_at, id"); err != nil {
			return nil, err
		}
		switch {
		case s.Has("access_grant", "resource_type", "resource_id", "principal_type", "principal_id", "permission"):
			if err := readAccessGrants(ctx, s, snap); err != nil {
				return nil, err
			}
			rep.Layout = append(rep.Layout, "model access control: access_grant table")
		case s.Has("model", "access_control"):
			rep.Layout = append(rep.Layout, "model access control: model.access_control column")
		default:
			rep.Layout = append(rep.Layout, "models: no access control (a version before groups): every model is public")
		}
	}
	billing := []struct {
		table string
		dst   *[]row
	}{{"billing_plan", &snap.plans}, {"billing_subscription", &snap.subs}, {"billing_usage", &snap.usage},
		{"billing_transaction", &snap.txs}, {"billing_audit_log", &snap.billingAudit}}
	var found []string
	for _, b := range billing {
		if !s.Has(b.table) {
			continue
		}
		found = append(found, b.table)
		if *b.dst, err = s.all(ctx, b.table, "created_at, id"); err != nil {
			return nil, err
		}
	}
	if len(found) > 0 {
		rep.Layout = append(rep.Layout, "billing fork tables: "+strings.Join(found, ", "))
	}
	return snap, nil
}

func readGroups(ctx context.Context, s *Source, snap *snapshot, rep *Report) error {
	if !s.Has("group") {
		return nil
	}
	var err error
	if snap.groups, err = s.all(ctx, "group", "created_at, id"); err != nil {
		return err
	}
	switch {
	case s.Has("group_member", "group_id", "user_id"):
		rep.Layout = append(rep.Layout, "group members: group_member table")
		rows, err := s.all(ctx, "group_member", "created_at, user_id")
		if err != nil {
			return err
		}
		for _, r := range rows {
			snap.members[r.str("group_id")] = append(snap.members[r.str("group_id")], r.str("user_id"))
		}
	case s.Has("group", "user_ids"):
		rep.Layout = append(rep.Layout, "group members: group.user_ids column")
		for _, g := range snap.groups {
			ids, _ := g.json("user_ids").([]any)
			for _, id := range ids {
				if uid, ok := id.(string); ok && uid != "" {
					snap.members[g.str("id")] = append(snap.members[g.str("id")], uid)
				}
			}
		}
	}
	return nil
}

func readAPIKeys(ctx context.Context, s *Source, snap *snapshot, rep *Report) error {
	switch {
	case s.Has("api_key", "user_id", "key"):
		rep.Layout = append(rep.Layout, "API keys: api_key table")
		rows, err := s.all(ctx, "api_key", "created_at, id")
		if err != nil {
			return err
		}
		for _, r := range rows {
			snap.apiKeys = append(snap.apiKeys, apiKey{id: r.str("id"), userID: r.str("user_id"), key: r.str("key"), r: r})
		}
	case s.Has("user", "api_key"):
		rep.Layout = append(rep.Layout, "API keys: user.api_key column")
		for _, u := range snap.users {
			if k := u.str("api_key"); k != "" {
				snap.apiKeys = append(snap.apiKeys, apiKey{id: "key_" + u.str("id"), userID: u.str("id"), key: k, r: u})
			}
		}
	}
	return nil
}

// readConfig reads the configuration: the newest row's data document, or the newer per-key
// table's rows gathered into one flat document.
func readConfig(ctx context.Context, s *Source, snap *snapshot, rep *Report) error {
	switch {
	case s.Has("config", "data"):
		rows, err := s.all(ctx, "config", "id DESC")
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			snap.config = rows[0].object("data")
			rep.Layout = append(rep.Layout, "configuration: the newest config row's data document")
		}
	case s.Has("config", "key", "value"):
		rows, err := s.all(ctx, "config", "key")
		if err != nil {
			return err
		}
		snap.config = map[string]any{}
		for _, r := range rows {
			snap.config[r.str("key")] = r.json("value")
		}
		rep.Layout = append(rep.Layout, "configuration: per-key config rows")
	}
	return nil
}

// readAccessGrants rebuilds Open WebUI's access_control value of every model from the newest
// layout's access_grant rows, as that migration's downgrade does: a read grant to user "*" is
// public (nil), other grants fill the read and write lists, and a model without any grant is
// private to its owner ({} with empty lists).
func readAccessGrants(ctx context.Context, s *Source, snap *snapshot) error {
	rows, err := s.all(ctx, "access_grant", "resource_id, permission, principal_type, principal_id")
	if err != nil {
		return err
	}
	type lists struct{ read, write map[string][]any }
	byModel := map[string]*lists{}
	public := map[string]bool{}
	for _, r := range rows {
		if r.str("resource_type") != "model" {
			continue
		}
		id, kind, who, perm := r.str("resource_id"), r.str("principal_type"), r.str("principal_id"), r.str("permission")
		if kind == "user" && who == "*" {
			if perm == "read" {
				public[id] = true
			}
			continue
		}
		l := byModel[id]
		if l == nil {
			l = &lists{read: map[string][]any{"user_ids": {}, "group_ids": {}}, write: map[string][]any{"user_ids": {}, "group_ids": {}}}
			byModel[id] = l
		}
		side := l.read
		if perm == "write" {
			side = l.write
		} else if perm != "read" {
			continue
		}
		side[kind+"_ids"] = append(side[kind+"_ids"], who)
	}
	snap.modelAccess = map[string]any{}
	for _, m := range snap.models {
		id := m.str("id")
		switch l := byModel[id]; {
		case public[id]:
			snap.modelAccess[id] = nil
		case l != nil:
			snap.modelAccess[id] = map[string]any{
				"read":  map[string]any{"user_ids": l.read["user_ids"], "group_ids": l.read["group_ids"]},
				"write": map[string]any{"user_ids": l.write["user_ids"], "group_ids": l.write["group_ids"]},
			}
		default:
			snap.modelAccess[id] = map[string]any{}
		}
	}
	return nil
}
