// Package groupsync makes a user's group memberships follow what an identity provider says
// (an OpenID Connect groups claim, LDAP group membership, a trusted proxy's header), with the
// rules Open WebUI gets wrong:
//
//   - only memberships of the provider's own source follow the claim; those an admin made by hand
//     (or another provider synced) stay, even when the claim drops the group;
//   - an empty claim removes every membership of that source, it does not leave stale ones;
//   - admins are synced like everyone else;
//   - groups the sync creates start with no grants;
//   - blocked groups are ignored in both directions.
//
// Each membership records its source (ent/schema/membership.go).
package groupsync

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/membership"
)

// MaxGroups bounds the groups one claim may name; names past it are ignored, so a huge claim
// cannot turn a sign-in into thousands of writes.
const MaxGroups = 500

// Input is one sync: the claim's group names for one source.
type Input struct {
	// Source is the provider whose memberships follow the claim ("oidc:<id>", "ldap", "header").
	Source string
	// Claimed are the group names the provider gives the user now.
	Claimed []string
	// Blocked are group names the sync never adds nor removes.
	Blocked []string
	// Create makes the claimed groups that do not exist, with no grants.
	Create bool
}

// Result is what a sync changed, by group name, sorted.
type Result struct {
	Added, Removed, Created []string
}

// Changed reports whether the sync changed anything.
func (r Result) Changed() bool { return len(r.Added)+len(r.Removed)+len(r.Created) > 0 }

// Desired is the claim cleaned up: names trimmed, empty, overlong and blocked ones dropped, each
// once, at most MaxGroups, in claim order.
func Desired(claimed, blocked []string) []string {
	out := make([]string, 0, min(len(claimed), MaxGroups))
	seen := map[string]bool{}
	for _, n := range claimed {
		n = strings.TrimSpace(n)
		if n == "" || utf8.RuneCountInString(n) > 255 || seen[n] || slices.Contains(blocked, n) {
			continue
		}
		seen[n] = true
		out = append(out, n)
		if len(out) == MaxGroups {
			break
		}
	}
	return out
}

// plan decides the memberships to add and remove. member maps the user's current groups to the
// source of each membership; desired are the group ids the claim names (blocked ones already
// left out); blocked are the ids of blocked groups.
func plan(member map[string]string, desired []string, blocked map[string]bool, source string) (add, remove []string) {
	want := map[string]bool{}
	for _, id := range desired {
		want[id] = true
		if _, ok := member[id]; !ok {
			add = append(add, id)
		}
	}
	for id, src := range member {
		if src == source && !want[id] && !blocked[id] {
			remove = append(remove, id)
		}
	}
	slices.Sort(add)
	slices.Sort(remove)
	return add, remove
}

// Apply syncs userID's memberships of in.Source in ctx's transaction, with c (the transaction's
// client). ctx must act as an actor that reads groups and writes groups and memberships.
func Apply(ctx context.Context, c *ent.Client, userID string, in Input) (Result, error) {
	if in.Source == "" || in.Source == "manual" {
		return Result{}, fmt.Errorf("groupsync: %q is not a provider source", in.Source)
	}
	names := Desired(in.Claimed, in.Blocked)
	var res Result
	if in.Create && len(names) > 0 {
		existing, err := c.Group.Query().Where(group.NameIn(names...)).Select(group.FieldName).Strings(ctx)
		if err != nil {
			return Result{}, fmt.Errorf("loading groups: %w", err)
		}
		for _, n := range names {
			if slices.Contains(existing, n) {
				continue
			}
			// Another sign-in may create the same group at the same moment: the name is unique,
			// so the loser's insert does nothing and both use the winner's row.
			if err := c.Group.Create().SetName(n).SetPermissions(map[string]any{}).
				SetDescription("created by group sync from " + in.Source).
				OnConflictColumns(group.FieldName).Ignore().Exec(ctx); err != nil {
				return Result{}, fmt.Errorf("creating group %q: %w", n, err)
			}
			res.Created = append(res.Created, n)
		}
	}
	byName := map[string]string{}
	nameOf := map[string]string{}
	lookup := append(slices.Clone(names), in.Blocked...)
	if len(lookup) > 0 {
		gs, err := c.Group.Query().Where(group.NameIn(lookup...)).Select(group.FieldID, group.FieldName).All(ctx)
		if err != nil {
			return Result{}, fmt.Errorf("loading groups: %w", err)
		}
		for _, g := range gs {
			byName[g.Name], nameOf[g.ID] = g.ID, g.Name
		}
	}
	desired := make([]string, 0, len(names))
	for _, n := range names {
		if id, ok := byName[n]; ok {
			desired = append(desired, id)
		}
	}
	blocked := map[string]bool{}
	for _, n := range in.Blocked {
		if id, ok := byName[n]; ok {
			blocked[id] = true
		}
	}
	ms, err := c.Membership.Query().Where(membership.UserID(userID)).All(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("loading memberships: %w", err)
	}
	member := make(map[string]string, len(ms))
	for _, m := range ms {
		member[m.GroupID] = m.Source
	}
	add, remove := plan(member, desired, blocked, in.Source)
	if len(remove) > 0 {
		if _, err := c.Membership.Delete().Where(membership.UserID(userID), membership.Source(in.Source),
			membership.GroupIDIn(remove...)).Exec(ctx); err != nil {
			return Result{}, fmt.Errorf("removing memberships: %w", err)
		}
		removedNames, err := c.Group.Query().Where(group.IDIn(remove...)).Select(group.FieldName).Strings(ctx)
		if err != nil {
			return Result{}, fmt.Errorf("loading groups: %w", err)
		}
		res.Removed = removedNames
	}
	if len(add) > 0 {
		creates := make([]*ent.MembershipCreate, 0, len(add))
		for _, id := range add {
			creates = append(creates, c.Membership.Create().SetUserID(userID).SetGroupID(id).SetSource(in.Source))
			res.Added = append(res.Added, nameOf[id])
		}
		if err := c.Membership.CreateBulk(creates...).
			OnConflictColumns(membership.FieldUserID, membership.FieldGroupID).Ignore().Exec(ctx); err != nil {
			return Result{}, fmt.Errorf("adding memberships: %w", err)
		}
	}
	slices.Sort(res.Added)
	slices.Sort(res.Removed)
	slices.Sort(res.Created)
	return res, nil
}
