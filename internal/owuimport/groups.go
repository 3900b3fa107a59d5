package owuimport

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/ent/schema"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/models"
	"github.com/steward-dev/steward/internal/permissions"
	"github.com/steward-dev/steward/internal/settings"
)

func (r *run) importGroups(ctx context.Context) error {
	r.rep.counts("groups")
	for i, g := range r.snap.groups {
		if err := r.importGroup(ctx, g); err != nil {
			return fmt.Errorf("group %s: %w", g.str("id"), err)
		}
		r.tick("groups", i+1, len(r.snap.groups))
	}
	return nil
}

func (r *run) importGroup(ctx context.Context, g row) error {
	id := g.str("id")
	name := strings.TrimSpace(g.str("name"))
	if id == "" || name == "" {
		r.rep.skip("groups", id, "a group without an id or a name")
		return nil
	}
	other, err := r.c.Group.Query().Where(group.Name(name), group.IDNEQ(id)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	if other != nil {
		r.rep.conflict("groups", id, fmt.Sprintf("the name %q belongs to another steward group (%s)", name, other.ID))
		return nil
	}
	perms := r.knownPermissions("group "+id, g.object("permissions"))
	var creator *string
	if uid := g.str("user_id"); r.users[uid] {
		creator = &uid
	}
	old, err := r.c.Group.Get(ctx, id)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	outcome := unchanged
	if old == nil {
		q := r.c.Group.Create().SetID(id).SetName(name).SetDescription(g.str("description")).
			SetPermissions(perms).SetNillableCreatedBy(creator)
		if t, ok := g.epoch("created_at"); ok {
			q.SetCreatedAt(micro(t))
		}
		if t, ok := g.epoch("updated_at"); ok {
			q.SetUpdatedAt(micro(t))
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		outcome = created
	} else if old.Name != name || old.Description != g.str("description") || !sameJSON(old.Permissions, perms) ||
		!reflect.DeepEqual(old.CreatedBy, creator) {
		if err := old.Update().SetName(name).SetDescription(g.str("description")).SetPermissions(perms).
			SetNillableCreatedBy(creator).Exec(ctx); err != nil {
			return err
		}
		outcome = updated
	}
	r.rep.count("groups", outcome)
	r.groups[id] = true
	// Members are added, never removed: memberships made in steward since stay.
	for _, uid := range r.snap.members[id] {
		if !r.users[uid] {
			r.rep.skip("memberships", id+"/"+uid, fmt.Sprintf("the account %s was not imported", uid))
			continue
		}
		exists, err := r.c.Membership.Query().Where(membership.UserID(uid), membership.GroupID(id)).Exist(ctx)
		if err != nil {
			return err
		}
		if exists {
			r.rep.count("memberships", unchanged)
			continue
		}
		if err := r.c.Membership.Create().SetUserID(uid).SetGroupID(id).SetSource(schema.MembershipManual).Exec(ctx); err != nil {
			return err
		}
		r.rep.count("memberships", created)
	}
	return nil
}

// knownPermissions keeps the leaves of an Open WebUI permission tree that steward knows, and
// notes the others as ignored configuration keys.
func (r *run) knownPermissions(owner string, tree map[string]any) map[string]any {
	known, dropped := access.KnownOnly(tree)
	for _, k := range dropped {
		r.rep.IgnoredConfigKeys = append(r.rep.IgnoredConfigKeys, owner+": permission "+k)
	}
	return known
}

// importConfig maps the configuration onto steward's sections and stores each that steward
// accepts, over the stored value (fields Open WebUI does not have keep theirs); a section steward
// refuses is skipped with its reason. The default permissions follow user.permissions.
func (r *run) importConfig(ctx context.Context) error {
	r.rep.counts("config sections")
	if r.snap.config == nil {
		return nil
	}
	mapped := settings.FromOpenWebUI(r.snap.config)
	r.rep.IgnoredConfigKeys = append(r.rep.IgnoredConfigKeys, mapped.Ignored...)
	current, err := r.im.cfg.Config.Export(ctx, true)
	if err != nil {
		return err
	}
	stored, _ := current["sections"].(map[string]any)
	secs, _ := mapped.Document["sections"].(map[string]any)
	keys := make([]string, 0, len(secs))
	for k := range secs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, key := range keys {
		r.tick("config sections", i+1, len(keys))
		v := settings.OverlayOpenWebUI(stored[key], secs[key])
		res, err := r.im.cfg.Config.Import(ctx, map[string]any{"version": mapped.Document["version"], "sections": map[string]any{key: v}}, false)
		if e, ok := errs.As(err); ok && e.Code == errs.CodeBadUserInput {
			r.rep.skip("config sections", key, fmt.Sprintf("steward refuses %s: %s", e.Field, e.Message))
			continue
		}
		if err != nil {
			return fmt.Errorf("config section %s: %w", key, err)
		}
		if len(res.Changes) > 0 {
			r.rep.count("config sections", updated)
		} else {
			r.rep.count("config sections", unchanged)
		}
	}
	if mapped.DefaultPermissions == nil {
		return nil
	}
	full := access.Fill(access.Tree(r.knownPermissions("user.permissions", mapped.DefaultPermissions)), access.Defaults())
	var before map[string]any
	found, err := r.im.cfg.Settings.Get(ctx, permissions.DefaultsKey, &before)
	if err != nil {
		return err
	}
	if found && sameJSON(before, map[string]any(full)) {
		r.rep.count("default permissions", unchanged)
		return nil
	}
	if err := r.im.cfg.Settings.Set(ctx, permissions.DefaultsKey, full); err != nil {
		return err
	}
	if found {
		r.rep.count("default permissions", updated)
	} else {
		r.rep.count("default permissions", created)
	}
	return nil
}

func (r *run) importModels(ctx context.Context) error {
	r.rep.counts("models")
	for i, m := range r.snap.models {
		if err := r.importModel(ctx, m); err != nil {
			return fmt.Errorf("model %s: %w", m.str("id"), err)
		}
		r.tick("models", i+1, len(r.snap.models))
	}
	return nil
}

func (r *run) importModel(ctx context.Context, m row) error {
	id := m.str("id")
	if id == "" {
		r.rep.skip("models", "", "a model without an id")
		return nil
	}
	name := strings.TrimSpace(m.str("name"))
	if name == "" {
		name = id
	}
	raw := m.json("access_control")
	if r.snap.modelAccess != nil {
		raw = r.snap.modelAccess[id]
	}
	ac, err := access.ParseAccessControl(raw)
	if err != nil {
		r.rep.skip("models", id, "its access_control is not Open WebUI's {read, write} shape")
		return nil
	}
	acValue := r.keepKnownPrincipals(id, ac)
	var owner *string
	if uid := m.str("user_id"); r.users[uid] {
		owner = &uid
	}
	var base *string
	if b := m.str("base_model_id"); b != "" {
		base = &b
	}
	meta, params := m.object("meta"), m.object("params")
	active := m.boolean("is_active", true)
	old, err := r.c.Model.Get(ctx, id)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	outcome := unchanged
	if old == nil {
		q := r.c.Model.Create().SetID(id).SetName(name).SetNillableOwnerID(owner).SetNillableBaseModelID(base).
			SetMeta(meta).SetParams(params).SetAccessControl(acValue).SetIsActive(active)
		if t, ok := m.epoch("created_at"); ok {
			q.SetCreatedAt(micro(t))
		}
		if t, ok := m.epoch("updated_at"); ok {
			q.SetUpdatedAt(micro(t))
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		outcome = created
	} else if old.Name != name || !reflect.DeepEqual(old.OwnerID, owner) || !reflect.DeepEqual(old.BaseModelID, base) ||
		!sameJSON(old.Meta, meta) || !sameJSON(old.Params, params) || !sameJSON(old.AccessControl, acValue) || old.IsActive != active {
		q := old.Update().SetName(name).SetMeta(meta).SetParams(params).SetAccessControl(acValue).SetIsActive(active)
		if owner == nil {
			q.ClearOwnerID()
		} else {
			q.SetOwnerID(*owner)
		}
		if base == nil {
			q.ClearBaseModelID()
		} else {
			q.SetBaseModelID(*base)
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		outcome = updated
	}
	if outcome != unchanged {
		if err := models.WriteGrants(ctx, r.c, id, ac); err != nil {
			return err
		}
	}
	r.rep.count("models", outcome)
	return nil
}

// keepKnownPrincipals drops from ac the accounts and groups that were not imported (a grant
// steward could not resolve) and returns the value to store: nil for a public model.
func (r *run) keepKnownPrincipals(modelID string, ac *access.AccessControl) map[string]any {
	if ac == nil {
		return nil
	}
	side := func(name string, p *access.Principals) map[string]any {
		users, groups := []any{}, []any{}
		var kept []string
		for _, id := range p.UserIDs {
			if r.users[id] {
				users = append(users, id)
				kept = append(kept, id)
			} else {
				r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("model %s: %s access of account %s dropped (not imported)", modelID, name, id))
			}
		}
		p.UserIDs = kept
		kept = nil
		for _, id := range p.GroupIDs {
			if r.groups[id] {
				groups = append(groups, id)
				kept = append(kept, id)
			} else {
				r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("model %s: %s access of group %s dropped (not imported)", modelID, name, id))
			}
		}
		p.GroupIDs = kept
		return map[string]any{"user_ids": users, "group_ids": groups}
	}
	return map[string]any{"read": side("read", &ac.Read), "write": side("write", &ac.Write)}
}

// sameJSON compares two JSON values by their encoding, so that a nil and an empty object or a
// []string and a []any of the same strings compare as stored.
func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	if isEmpty(va) && isEmpty(vb) {
		return true
	}
	return reflect.DeepEqual(va, vb)
}

func isEmpty(v any) bool {
	m, ok := v.(map[string]any)
	return v == nil || (ok && len(m) == 0)
}
