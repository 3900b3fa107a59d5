// Package groups holds the group rules: admins create groups that grant permissions (a partial
// tree, nothing by default) and, unlike Open WebUI, deny them; they manage members in bulk; and
// every verified user can see the groups they belong to.
package groups

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect/sql"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/third_party/entgql"
)

// Config wires a Service.
type Config struct {
	Client *ent.Client
	Audit  *audit.Log
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.Client == nil || c.Audit == nil {
		return errors.New("groups: Client and Audit are required")
	}
	return nil
}

// Service implements the group rules.
type Service struct {
	client *ent.Client
	audit  *audit.Log
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Service{client: cfg.Client, audit: cfg.Audit}, nil
}

// maxPage bounds first/last of the connections.
const maxPage = 1000

// manualSource is the source of memberships made by hand (ent/schema/membership.go).
const manualSource = "manual"

// maxMembersPerCall bounds addGroupMembers and removeGroupMembers.
const maxMembersPerCall = 1000

// Page is a Relay page request.
type Page struct {
	After, Before *entgql.Cursor[string]
	First, Last   *int
}

func (p Page) validate() error {
	for name, v := range map[string]*int{"first": p.First, "last": p.Last} {
		if v != nil && (*v < 0 || *v > maxPage) {
			return errs.Invalid(name, fmt.Sprintf("must be between 0 and %d", maxPage))
		}
	}
	return nil
}

// List returns a page of groups, by name unless order says otherwise.
func (s *Service) List(ctx context.Context, p Page, order *ent.GroupOrder, where *ent.GroupWhereInput) (*ent.GroupConnection, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if order == nil {
		order = &ent.GroupOrder{Direction: entgql.OrderDirectionAsc, Field: ent.GroupOrderFieldName}
	}
	conn, err := db.ClientFrom(ctx, s.client).Group.Query().Paginate(ctx, p.After, p.First, p.Before, p.Last,
		ent.WithGroupOrder(order), ent.WithGroupFilter(where.Filter))
	if err != nil {
		return nil, db.PageError(err)
	}
	return conn, nil
}

// Members returns a page of a group's members, newest first unless order says otherwise.
func (s *Service) Members(ctx context.Context, g *ent.Group, p Page, order []*ent.UserOrder, where *ent.UserWhereInput) (*ent.UserConnection, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if len(order) == 0 {
		order = []*ent.UserOrder{{Direction: entgql.OrderDirectionDesc, Field: ent.UserOrderFieldCreatedAt}}
	}
	q := db.ClientFrom(ctx, s.client).User.Query()
	q.Modify(membersOf(g.ID))
	conn, err := q.Paginate(ctx, p.After, p.First, p.Before, p.Last, ent.WithUserOrder(order), ent.WithUserFilter(where.Filter))
	if err != nil {
		return nil, db.PageError(err)
	}
	return conn, nil
}

// membersOf makes a users query read a group's members from the group's memberships: it replaces
// FROM users with the memberships joined to their users, named users, whose id and created_at
// columns are the memberships' user_id and user_created_at (equal by the foreign key and the
// copy, ent/schema/membership.go). Ordered newest first, as Members is by default, the page then
// walks the memberships' (group_id, user_created_at, user_id) index for one page of rows, and the
// count reads that index alone: the join to users is a LEFT JOIN on its primary key, which
// PostgreSQL drops when no users column is read. Filters and other orders read the same columns.
func membersOf(groupID string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		b := sql.Dialect(s.Dialect())
		m, u := b.Table(membership.Table).As("m"), b.Table(user.Table).As("u")
		members := b.Select().From(m)
		for _, c := range user.Columns {
			switch c {
			case user.FieldID:
				members.AppendSelectAs(m.C(membership.FieldUserID), user.FieldID)
			case user.FieldCreatedAt:
				members.AppendSelectAs(m.C(membership.FieldUserCreatedAt), user.FieldCreatedAt)
			default:
				members.AppendSelect(u.C(c))
			}
		}
		members.LeftJoin(u).On(m.C(membership.FieldUserID), u.C(user.FieldID)).
			Where(sql.EQ(m.C(membership.FieldGroupID), groupID)).
			As(user.Table)
		// Named users, the outer statement's columns (users.name, filters, order) read it.
		s.From(members).As(user.Table)
	}
}

// Get returns one group: ManageGroups.
func (s *Service) Get(ctx context.Context, id string) (*ent.Group, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return nil, err
	}
	g, err := db.ClientFrom(ctx, s.client).Group.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("group")
	}
	if err != nil {
		return nil, fmt.Errorf("loading group: %w", err)
	}
	return g, nil
}

// Mine returns the groups the viewer belongs to, by name (admins too get only their own).
func (s *Service) Mine(ctx context.Context) ([]*ent.Group, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	v := auth.ViewerFrom(ctx)
	gs, err := db.ClientFrom(ctx, s.client).Group.Query().Where(group.HasMembersWith(user.ID(v.UserID))).
		Order(ent.Asc(group.FieldName), ent.Asc(group.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading groups: %w", err)
	}
	return gs, nil
}

// CreateInput is a new group.
type CreateInput struct {
	Name        string
	Description *string
	// Permissions is a partial tree; nil grants nothing.
	Permissions       map[string]any
	DeniedPermissions []string
}

// Create adds a group created by the viewer.
func (s *Service) Create(ctx context.Context, in CreateInput) (*ent.Group, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return nil, err
	}
	name, err := validateName(in.Name)
	if err != nil {
		return nil, err
	}
	desc := ""
	if in.Description != nil {
		if desc, err = validateDescription(*in.Description); err != nil {
			return nil, err
		}
	}
	perms, err := validatePermissions(in.Permissions)
	if err != nil {
		return nil, err
	}
	denied, err := validateDenied(in.DeniedPermissions)
	if err != nil {
		return nil, err
	}
	var g *ent.Group
	err = db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		if err := nameFree(ctx, c, name, ""); err != nil {
			return err
		}
		create := c.Group.Create().SetName(name).SetDescription(desc).SetPermissions(perms).SetDeniedPermissions(denied)
		if v := auth.ViewerFrom(ctx); v != nil {
			create.SetCreatedBy(v.UserID)
		}
		if g, err = create.Save(ctx); err != nil {
			return conflictOr(err, "creating group")
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.GroupCreated, EntityType: "Group", EntityID: g.ID,
			Description: fmt.Sprintf("group %q created", name),
			Changes: map[string]audit.Change{
				"name": {New: name}, "description": {New: desc},
				"permissions": {New: perms}, "deniedPermissions": {New: denied},
			}})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// UpdateInput changes a group; nil fields stay as they are. Permissions and DeniedPermissions
// replace the stored values when given.
type UpdateInput struct {
	Name, Description *string
	Permissions       map[string]any
	// SetPermissions says Permissions was given (nil then clears every grant).
	SetPermissions    bool
	DeniedPermissions []string
	SetDenied         bool
}

// Update changes a group and audits each changed field.
func (s *Service) Update(ctx context.Context, id string, in UpdateInput) (*ent.Group, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return nil, err
	}
	var (
		name, desc string
		perms      map[string]any
		denied     []string
		err        error
	)
	if in.Name != nil {
		if name, err = validateName(*in.Name); err != nil {
			return nil, err
		}
	}
	if in.Description != nil {
		if desc, err = validateDescription(*in.Description); err != nil {
			return nil, err
		}
	}
	if in.SetPermissions {
		if perms, err = validatePermissions(in.Permissions); err != nil {
			return nil, err
		}
	}
	if in.SetDenied {
		if denied, err = validateDenied(in.DeniedPermissions); err != nil {
			return nil, err
		}
	}
	var out *ent.Group
	err = db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		g, err := c.Group.Get(ctx, id)
		if ent.IsNotFound(err) {
			return errs.NotFound("group")
		}
		if err != nil {
			return fmt.Errorf("loading group: %w", err)
		}
		changes := map[string]audit.Change{}
		upd := c.Group.UpdateOneID(id)
		if in.Name != nil && name != g.Name {
			if err := nameFree(ctx, c, name, id); err != nil {
				return err
			}
			upd.SetName(name)
			changes["name"] = audit.Change{Old: g.Name, New: name}
		}
		if in.Description != nil && desc != g.Description {
			upd.SetDescription(desc)
			changes["description"] = audit.Change{Old: g.Description, New: desc}
		}
		if in.SetPermissions && !maps.Equal(access.Flatten(g.Permissions), access.Flatten(perms)) {
			upd.SetPermissions(perms)
			changes["permissions"] = audit.Change{Old: g.Permissions, New: perms}
		}
		if in.SetDenied && !slices.Equal(g.DeniedPermissions, denied) {
			upd.SetDeniedPermissions(denied)
			changes["deniedPermissions"] = audit.Change{Old: g.DeniedPermissions, New: denied}
		}
		if len(changes) == 0 {
			out = g
			return nil
		}
		if out, err = upd.Save(ctx); err != nil {
			return conflictOr(err, "updating group")
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.GroupUpdated, EntityType: "Group", EntityID: id,
			Description: fmt.Sprintf("group %q updated: %s", out.Name, strings.Join(slices.Sorted(maps.Keys(changes)), ", ")),
			Changes:     changes})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes a group; its memberships go with it (foreign key cascade).
func (s *Service) Delete(ctx context.Context, id string) error {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return err
	}
	return db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		g, err := c.Group.Get(ctx, id)
		if ent.IsNotFound(err) {
			return errs.NotFound("group")
		}
		if err != nil {
			return fmt.Errorf("loading group: %w", err)
		}
		members, err := c.Membership.Query().Where(membership.GroupID(id)).Count(authz.As(ctx, authz.Directory))
		if err != nil {
			return fmt.Errorf("counting members: %w", err)
		}
		if err := c.Group.DeleteOneID(id).Exec(ctx); err != nil {
			return fmt.Errorf("deleting group: %w", err)
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.GroupDeleted, EntityType: "Group", EntityID: id,
			Description: fmt.Sprintf("group %q deleted (%d members)", g.Name, members),
			Changes:     map[string]audit.Change{"name": {Old: g.Name}, "permissions": {Old: g.Permissions}, "deniedPermissions": {Old: g.DeniedPermissions}}})
	})
}

// MembersResult is the outcome of adding or removing members.
type MembersResult struct {
	Group *ent.Group
	// UnknownUserIDs name no user; nothing was done for them.
	UnknownUserIDs []string
	// Changed counts the memberships actually added or removed.
	Changed int
}

// AddMembers puts users into a group. Users already in it and repeated ids are ignored; ids of
// no user are reported back.
func (s *Service) AddMembers(ctx context.Context, groupID string, userIDs []string) (MembersResult, error) {
	return s.changeMembers(ctx, groupID, userIDs, true)
}

// RemoveMembers takes users out of a group. Users not in it are ignored; ids of no user are
// reported back.
func (s *Service) RemoveMembers(ctx context.Context, groupID string, userIDs []string) (MembersResult, error) {
	return s.changeMembers(ctx, groupID, userIDs, false)
}

func (s *Service) changeMembers(ctx context.Context, groupID string, userIDs []string, add bool) (MembersResult, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return MembersResult{}, err
	}
	if len(userIDs) > maxMembersPerCall {
		return MembersResult{}, errs.Invalid("userIds", fmt.Sprintf("at most %d ids per call", maxMembersPerCall))
	}
	ids := dedupe(userIDs)
	var res MembersResult
	err := db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Directory)
		g, err := c.Group.Get(ctx, groupID)
		if ent.IsNotFound(err) {
			return errs.NotFound("group")
		}
		if err != nil {
			return fmt.Errorf("loading group: %w", err)
		}
		res.Group = g
		// Their creation times too: a new membership copies it (ent/schema/membership.go), and
		// given here the hook looks up nothing per row.
		found, err := c.User.Query().Where(user.IDIn(ids...)).Select(user.FieldID, user.FieldCreatedAt).All(sys)
		if err != nil {
			return fmt.Errorf("loading users: %w", err)
		}
		known := make([]string, len(found))
		createdAt := make(map[string]time.Time, len(found))
		for i, u := range found {
			known[i], createdAt[u.ID] = u.ID, u.CreatedAt
		}
		res.UnknownUserIDs = []string{}
		for _, id := range ids {
			if !slices.Contains(known, id) {
				res.UnknownUserIDs = append(res.UnknownUserIDs, id)
			}
		}
		members, err := c.Membership.Query().
			Where(membership.GroupID(groupID), membership.UserIDIn(known...)).
			Select(membership.FieldUserID).Strings(sys)
		if err != nil {
			return fmt.Errorf("loading memberships: %w", err)
		}
		var changed []string
		if add {
			var creates []*ent.MembershipCreate
			for _, id := range ids {
				if slices.Contains(known, id) && !slices.Contains(members, id) {
					changed = append(changed, id)
					creates = append(creates, c.Membership.Create().SetGroupID(groupID).SetUserID(id).SetUserCreatedAt(createdAt[id]))
				}
			}
			if len(creates) > 0 {
				if err := c.Membership.CreateBulk(creates...).Exec(sys); err != nil {
					return fmt.Errorf("adding members: %w", err)
				}
			}
			// Adding by hand someone an identity provider's group sync put in the group makes the
			// membership the admin's: the sync no longer removes it (internal/groupsync).
			if len(members) > 0 {
				if _, err := c.Membership.Update().Where(membership.GroupID(groupID), membership.UserIDIn(members...),
					membership.SourceNEQ(manualSource)).SetSource(manualSource).Save(sys); err != nil {
					return fmt.Errorf("keeping synced members by hand: %w", err)
				}
			}
		} else if len(members) > 0 {
			changed = members
			if _, err := c.Membership.Delete().
				Where(membership.GroupID(groupID), membership.UserIDIn(members...)).Exec(sys); err != nil {
				return fmt.Errorf("removing members: %w", err)
			}
		}
		res.Changed = len(changed)
		if len(changed) == 0 {
			return nil
		}
		action, verb := audit.GroupMembersAdded, "added to"
		change := audit.Change{New: changed}
		if !add {
			action, verb = audit.GroupMembersRemoved, "removed from"
			change = audit.Change{Old: changed}
		}
		return s.audit.Record(ctx, audit.Entry{Action: action, EntityType: "Group", EntityID: groupID,
			Description: fmt.Sprintf("%d users %s group %q", len(changed), verb, g.Name),
			Changes:     map[string]audit.Change{"members": change}})
	})
	if err != nil {
		return MembersResult{}, err
	}
	return res, nil
}

func dedupe(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func validateName(name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" || utf8.RuneCountInString(n) > 255 {
		return "", errs.Invalid("name", "must be 1 to 255 characters")
	}
	return n, nil
}

func validateDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if len(d) > 4096 {
		return "", errs.Invalid("description", "must be at most 4096 bytes")
	}
	return d, nil
}

// validatePermissions checks a partial tree against the known keys; nil means no grants.
func validatePermissions(t map[string]any) (map[string]any, error) {
	if t == nil {
		return map[string]any{}, nil
	}
	if err := access.Validate(t); err != nil {
		if e, ok := errs.As(err); ok && e.Field != "" {
			return nil, errs.Invalid("permissions."+e.Field, e.Message)
		}
		return nil, err
	}
	return t, nil
}

// validateDenied checks denial keys and returns them sorted, without repeats.
func validateDenied(keys []string) ([]string, error) {
	if err := access.ValidateKeys(keys); err != nil {
		if e, ok := errs.As(err); ok && e.Field != "" {
			return nil, errs.Invalid("deniedPermissions", fmt.Sprintf("%s: %s", e.Field, e.Message))
		}
		return nil, err
	}
	out := append([]string{}, keys...)
	slices.Sort(out)
	return slices.Compact(out), nil
}

func nameFree(ctx context.Context, c *ent.Client, name, except string) error {
	q := c.Group.Query().Where(group.Name(name))
	if except != "" {
		q.Where(group.IDNEQ(except))
	}
	taken, err := q.Exist(authz.As(ctx, authz.Directory))
	if err != nil {
		return fmt.Errorf("checking group name: %w", err)
	}
	if taken {
		return errs.Conflict(fmt.Sprintf("a group named %q already exists", name))
	}
	return nil
}

func conflictOr(err error, what string) error {
	if ent.IsConstraintError(err) {
		return errs.Conflict("a group with this name already exists")
	}
	return fmt.Errorf("%s: %w", what, err)
}
