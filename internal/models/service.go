// Package models holds the rules of Model, the first access-controlled resource: who may read,
// change and share a model, decided by access.Policy.Can. Read access is the Model row rule of
// internal/authz, a SQL filter over the grants this package derives from each model's access
// control in the transaction that writes it (grants.go), so models, model(id), node(id),
// nodes(ids) and any future path see exactly the models the viewer may read.
package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/membership"
	"github.com/steward-dev/steward/ent/model"
	"github.com/steward-dev/steward/ent/predicate"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// PermissionChecker answers permission questions; internal/permissions implements it.
type PermissionChecker interface {
	Has(ctx context.Context, v *auth.Viewer, key string) (bool, error)
}

// Config wires a Service.
type Config struct {
	Client *ent.Client
	Audit  *audit.Log
	Perms  PermissionChecker
}

// Validate reports a missing dependency.
func (c Config) Validate() error {
	if c.Client == nil || c.Audit == nil || c.Perms == nil {
		return errors.New("models: Client, Audit and Perms are required")
	}
	return nil
}

// Service implements the model rules.
type Service struct {
	client *ent.Client
	audit  *audit.Log
	perms  PermissionChecker
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Service{client: cfg.Client, audit: cfg.Audit, perms: cfg.Perms}, nil
}

// subject describes the viewer for access.Policy.Can, with the groups they belong to.
func (s *Service) subject(ctx context.Context, c *ent.Client, v *auth.Viewer) (access.Subject, error) {
	groupIDs, err := c.Membership.Query().Where(membership.UserID(v.UserID)).
		Select(membership.FieldGroupID).Strings(authz.As(ctx, authz.Models))
	if err != nil {
		return access.Subject{}, fmt.Errorf("loading groups of viewer: %w", err)
	}
	return access.Subject{UserID: v.UserID, IsAdmin: v.IsAdmin(), GroupIDs: groupIDs}, nil
}

func owner(m *ent.Model) string {
	if m.OwnerID == nil {
		return ""
	}
	return *m.OwnerID
}

// controlOf decodes a stored access control. A value that does not parse (a hand-edited or
// imported row) counts as private, so a damaged row never becomes public.
func controlOf(m *ent.Model) *access.AccessControl {
	if m.AccessControl == nil {
		return nil
	}
	ac, err := access.ParseAccessControl(m.AccessControl)
	if err != nil {
		return &access.AccessControl{}
	}
	return ac
}

// List returns the models the viewer may read, by name.
func (s *Service) List(ctx context.Context) ([]*ent.Model, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	ms, err := db.ClientFrom(ctx, s.client).Model.Query().
		Order(ent.Asc(model.FieldName), ent.Asc(model.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing models: %w", err)
	}
	return ms, nil
}

// Get returns one model the viewer may read; any other id is NOT_FOUND.
func (s *Service) Get(ctx context.Context, id string) (*ent.Model, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	m, err := db.ClientFrom(ctx, s.client).Model.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("model")
	}
	if err != nil {
		return nil, fmt.Errorf("loading model: %w", err)
	}
	return m, nil
}

// Route is what calling a model needs: the upstream model it runs on, and whether it is active.
type Route struct {
	ID string
	// Upstream is the model the upstreams are asked for: the base model, else the model itself.
	Upstream string
	Active   bool
}

// Route returns the route of a model the viewer may read (NOT_FOUND otherwise), by the same rule
// as Get but without reading its metadata and parameters, which Open WebUI's models fill with
// descriptions and inline images: the gateway asks this on every call.
func (s *Service) Route(ctx context.Context, id string) (Route, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return Route{}, err
	}
	m, err := db.ClientFrom(ctx, s.client).Model.Query().Where(model.ID(id)).
		Select(model.FieldID, model.FieldBaseModelID, model.FieldIsActive).Only(ctx)
	if ent.IsNotFound(err) {
		return Route{}, errs.NotFound("model")
	}
	if err != nil {
		return Route{}, fmt.Errorf("loading model: %w", err)
	}
	r := Route{ID: m.ID, Upstream: m.ID, Active: m.IsActive}
	if m.BaseModelID != nil && *m.BaseModelID != "" {
		r.Upstream = *m.BaseModelID
	}
	return r, nil
}

// maxIDLength bounds a model's id.
const maxIDLength = 255

// CreateInput is a new model.
type CreateInput struct {
	ID, Name      string
	BaseModelID   *string
	Meta, Params  map[string]any
	AccessControl map[string]any
	IsActive      *bool
}

// Create adds a model owned by the viewer: CreateModels (admins, and users with workspace.models).
func (s *Service) Create(ctx context.Context, in CreateInput) (*ent.Model, error) {
	if err := authz.Require(ctx, authz.CreateModels(s.perms)); err != nil {
		return nil, err
	}
	v := auth.ViewerFrom(ctx)
	id := strings.TrimSpace(in.ID)
	if id == "" || len(id) > maxIDLength {
		return nil, errs.Invalid("id", "must be 1 to 255 characters")
	}
	name, err := validateName(in.Name)
	if err != nil {
		return nil, err
	}
	var out *ent.Model
	err = db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Models)
		ac, stored, err := s.parseControl(ctx, c, in.AccessControl)
		if err != nil {
			return err
		}
		taken, err := c.Model.Query().Where(model.ID(id)).Exist(sys)
		if err != nil {
			return fmt.Errorf("checking model id: %w", err)
		}
		if taken {
			return errs.Conflict(fmt.Sprintf("a model with id %q already exists", id))
		}
		create := c.Model.Create().SetID(id).SetName(name).SetOwnerID(v.UserID).
			SetNillableBaseModelID(in.BaseModelID).SetNillableIsActive(in.IsActive)
		if in.Meta != nil {
			create.SetMeta(in.Meta)
		}
		if in.Params != nil {
			create.SetParams(in.Params)
		}
		if ac != nil {
			create.SetAccessControl(stored)
		}
		if out, err = create.Save(sys); err != nil {
			if ent.IsConstraintError(err) {
				return errs.Conflict(fmt.Sprintf("a model with id %q already exists", id))
			}
			return fmt.Errorf("creating model: %w", err)
		}
		if err := writeGrants(sys, c, id, ac); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.ModelCreated, EntityType: "Model", EntityID: id,
			Description: fmt.Sprintf("model %q created (%s)", id, describeControl(ac)),
			Changes:     map[string]audit.Change{"name": {New: name}, "accessControl": {New: stored}}})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateInput changes a model; nil fields stay as they are. SetAccessControl says whether
// AccessControl was given, since a given nil makes the model public.
type UpdateInput struct {
	Name, BaseModelID *string
	Meta, Params      map[string]any
	AccessControl     map[string]any
	SetAccessControl  bool
	IsActive          *bool
}

// Update changes a model; the viewer needs write access.
func (s *Service) Update(ctx context.Context, id string, in UpdateInput) (*ent.Model, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	var out *ent.Model
	err := db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Models)
		m, err := s.writable(ctx, c, id)
		if err != nil {
			return err
		}
		changes := map[string]audit.Change{}
		var newControl *access.AccessControl
		upd := c.Model.UpdateOneID(id)
		if in.Name != nil {
			name, err := validateName(*in.Name)
			if err != nil {
				return err
			}
			if name != m.Name {
				upd.SetName(name)
				changes["name"] = audit.Change{Old: m.Name, New: name}
			}
		}
		if in.BaseModelID != nil {
			upd.SetBaseModelID(*in.BaseModelID)
			changes["baseModelId"] = audit.Change{Old: m.BaseModelID, New: *in.BaseModelID}
		}
		if in.Meta != nil {
			upd.SetMeta(in.Meta)
			changes["meta"] = audit.Change{Old: m.Meta, New: in.Meta}
		}
		if in.Params != nil {
			upd.SetParams(in.Params)
			changes["params"] = audit.Change{Old: m.Params, New: in.Params}
		}
		if in.IsActive != nil && *in.IsActive != m.IsActive {
			upd.SetIsActive(*in.IsActive)
			changes["isActive"] = audit.Change{Old: m.IsActive, New: *in.IsActive}
		}
		if in.SetAccessControl {
			ac, stored, err := s.parseControl(ctx, c, in.AccessControl)
			if err != nil {
				return err
			}
			if ac == nil {
				upd.ClearAccessControl()
			} else {
				upd.SetAccessControl(stored)
			}
			newControl = ac
			changes["accessControl"] = audit.Change{Old: m.AccessControl, New: stored}
		}
		if out, err = upd.Save(sys); err != nil {
			return fmt.Errorf("updating model: %w", err)
		}
		// After the update, which holds the model's row: a concurrent RebuildGrants waits for it.
		if in.SetAccessControl {
			if err := writeGrants(sys, c, id, newControl); err != nil {
				return err
			}
		}
		if len(changes) == 0 {
			return nil
		}
		keys := make([]string, 0, len(changes))
		for k := range changes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return s.audit.Record(ctx, audit.Entry{Action: audit.ModelUpdated, EntityType: "Model", EntityID: id,
			Description: fmt.Sprintf("model %q updated: %s", id, strings.Join(keys, ", ")), Changes: changes})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes a model; the viewer needs write access.
func (s *Service) Delete(ctx context.Context, id string) error {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return err
	}
	return db.InTx(ctx, s.client, func(ctx context.Context, c *ent.Client) error {
		m, err := s.writable(ctx, c, id)
		if err != nil {
			return err
		}
		if err := c.Model.DeleteOneID(id).Exec(authz.As(ctx, authz.Models)); err != nil {
			return fmt.Errorf("deleting model: %w", err)
		}
		return s.audit.Record(ctx, audit.Entry{Action: audit.ModelDeleted, EntityType: "Model", EntityID: id,
			Description: fmt.Sprintf("model %q deleted", id),
			Changes:     map[string]audit.Change{"name": {Old: m.Name}, "accessControl": {Old: m.AccessControl}}})
	})
}

// writable loads a model the viewer may read and checks write access: an unreadable model is
// NOT_FOUND (its existence stays hidden), a readable one without write access FORBIDDEN.
func (s *Service) writable(ctx context.Context, c *ent.Client, id string) (*ent.Model, error) {
	m, err := c.Model.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("model")
	}
	if err != nil {
		return nil, fmt.Errorf("loading model: %w", err)
	}
	ok, err := s.can(ctx, c, m, access.PermissionWrite)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errs.Forbidden("you may use this model but not change it")
	}
	return m, nil
}

func (s *Service) can(ctx context.Context, c *ent.Client, m *ent.Model, perm access.Permission) (bool, error) {
	v := auth.ViewerFrom(ctx)
	if !v.IsVerified() {
		return false, nil
	}
	subject, err := s.subject(ctx, c, v)
	if err != nil {
		return false, err
	}
	return policyOf(ctx).Can(subject, owner(m), controlOf(m), perm), nil
}

// UsersWithAccess lists the verified users who may act with perm on a model, by name. Admins and
// the model's writers may ask. The query mirrors access.Policy.Can: the owner, the named users,
// members of the named groups, admins when they bypass, and everyone for reading a public model.
func (s *Service) UsersWithAccess(ctx context.Context, modelID string, perm access.Permission) ([]*ent.User, error) {
	if err := authz.Require(ctx, authz.UseAccount); err != nil {
		return nil, err
	}
	c := db.ClientFrom(ctx, s.client)
	m, err := c.Model.Get(ctx, modelID)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("model")
	}
	if err != nil {
		return nil, fmt.Errorf("loading model: %w", err)
	}
	if !auth.ViewerFrom(ctx).IsAdmin() {
		ok, err := s.can(ctx, c, m, access.PermissionWrite)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.Forbidden("only admins and those who may change this model see who has access")
		}
	}
	q := c.User.Query().Where(user.RoleIn(user.RoleADMIN, user.RoleUSER))
	ac := controlOf(m)
	if ac != nil || perm == access.PermissionWrite {
		var who []predicate.User
		if o := owner(m); o != "" {
			who = append(who, user.ID(o))
		}
		if authz.AdminsBypass(ctx) {
			who = append(who, user.RoleEQ(user.RoleADMIN))
		}
		if ac != nil {
			userIDs, groupIDs := slices.Clone(ac.Write.UserIDs), slices.Clone(ac.Write.GroupIDs)
			if perm == access.PermissionRead {
				userIDs = append(userIDs, ac.Read.UserIDs...)
				groupIDs = append(groupIDs, ac.Read.GroupIDs...)
			}
			if len(userIDs) > 0 {
				who = append(who, user.IDIn(userIDs...))
			}
			if len(groupIDs) > 0 {
				who = append(who, user.HasGroupsWith(group.IDIn(groupIDs...)))
			}
		}
		if len(who) == 0 {
			return []*ent.User{}, nil
		}
		q.Where(user.Or(who...))
	}
	users, err := q.Order(ent.Asc(user.FieldName), ent.Asc(user.FieldID)).All(authz.As(ctx, authz.Models))
	if err != nil {
		return nil, fmt.Errorf("listing users with access: %w", err)
	}
	return users, nil
}

// parseControl validates an access control and checks that the users and groups it names exist.
// It returns the parsed value (nil for public) and its canonical stored form.
func (s *Service) parseControl(ctx context.Context, c *ent.Client, v map[string]any) (*access.AccessControl, map[string]any, error) {
	var raw any
	if v != nil {
		raw = v
	}
	ac, err := access.ParseAccessControl(raw)
	if err != nil {
		return nil, nil, err
	}
	if ac == nil {
		return nil, nil, nil
	}
	sys := authz.As(ctx, authz.Models)
	for _, p := range []struct {
		field string
		ids   []string
		count func([]string) (int, error)
	}{
		{"accessControl.read.user_ids", ac.Read.UserIDs, func(ids []string) (int, error) { return c.User.Query().Where(user.IDIn(ids...)).Count(sys) }},
		{"accessControl.write.user_ids", ac.Write.UserIDs, func(ids []string) (int, error) { return c.User.Query().Where(user.IDIn(ids...)).Count(sys) }},
		{"accessControl.read.group_ids", ac.Read.GroupIDs, func(ids []string) (int, error) { return c.Group.Query().Where(group.IDIn(ids...)).Count(sys) }},
		{"accessControl.write.group_ids", ac.Write.GroupIDs, func(ids []string) (int, error) { return c.Group.Query().Where(group.IDIn(ids...)).Count(sys) }},
	} {
		ids := slices.Compact(slices.Sorted(slices.Values(p.ids)))
		if len(ids) == 0 {
			continue
		}
		n, err := p.count(ids)
		if err != nil {
			return nil, nil, fmt.Errorf("checking access control: %w", err)
		}
		if n != len(ids) {
			return nil, nil, errs.Invalid(p.field, "names an unknown id")
		}
	}
	b, err := json.Marshal(ac)
	if err != nil {
		return nil, nil, err
	}
	var stored map[string]any
	if err := json.Unmarshal(b, &stored); err != nil {
		return nil, nil, err
	}
	return ac, stored, nil
}

func describeControl(ac *access.AccessControl) string {
	if ac == nil {
		return "public"
	}
	return fmt.Sprintf("read: %d groups, %d users; write: %d groups, %d users",
		len(ac.Read.GroupIDs), len(ac.Read.UserIDs), len(ac.Write.GroupIDs), len(ac.Write.UserIDs))
}

func validateName(name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" || len(n) > 255 {
		return "", errs.Invalid("name", "must be 1 to 255 characters")
	}
	return n, nil
}

// policyOf is the access policy of ctx's deployment (BYPASS_ADMIN_ACCESS_CONTROL), as the Model
// row rule applies it.
func policyOf(ctx context.Context) access.Policy {
	return access.Policy{BypassAdmin: authz.AdminsBypass(ctx)}
}
