package groups

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/settings"
)

// ExchangeKey names the groups in an exportConfig document.
const ExchangeKey = "groups"

// Spec is a group as the configuration document carries it: its name, description and grants.
// Members are accounts, not configuration, and stay where they are.
type Spec struct {
	Name              string         `json:"name"`
	Description       string         `json:"description"`
	Permissions       map[string]any `json:"permissions"`
	DeniedPermissions []string       `json:"deniedPermissions"`
}

// Exchanged is the groups' part of exportConfig and importConfig. An import matches groups by
// name: it creates the ones missing and updates the others' grants; groups the document does not
// name stay as they are.
func (s *Service) Exchanged() settings.Exchanged { return exchange{s} }

type exchange struct{ s *Service }

func (exchange) Key() string { return ExchangeKey }

func (x exchange) Export(ctx context.Context) (any, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return nil, err
	}
	gs, err := x.s.client.Group.Query().Order(ent.Asc(group.FieldName)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading groups: %w", err)
	}
	out := make([]Spec, len(gs))
	for i, g := range gs {
		out[i] = specOf(g)
	}
	return out, nil
}

func specOf(g *ent.Group) Spec {
	p := g.Permissions
	if p == nil {
		p = map[string]any{}
	}
	d := g.DeniedPermissions
	if d == nil {
		d = []string{}
	}
	return Spec{Name: g.Name, Description: g.Description, Permissions: p, DeniedPermissions: d}
}

func (x exchange) Plan(ctx context.Context, raw json.RawMessage) ([]settings.Change, func(context.Context) error, error) {
	if err := authz.Require(ctx, authz.ManageGroups); err != nil {
		return nil, nil, err
	}
	var specs []Spec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&specs); err != nil {
		return nil, nil, errs.Invalid("", "must be a list of groups with name, description, permissions and deniedPermissions")
	}
	wanted := make(map[string]Spec, len(specs))
	for i, sp := range specs {
		at := strconv.Itoa(i) + "."
		var err error
		if sp.Name, err = validateName(sp.Name); err != nil {
			return nil, nil, errs.Invalid(at+"name", "must be 1 to 255 characters")
		}
		if _, dup := wanted[sp.Name]; dup {
			return nil, nil, errs.Invalid(at+"name", fmt.Sprintf("%q appears twice", sp.Name))
		}
		if sp.Description, err = validateDescription(sp.Description); err != nil {
			return nil, nil, prefix(err, at)
		}
		if sp.Permissions, err = validatePermissions(sp.Permissions); err != nil {
			return nil, nil, prefix(err, at)
		}
		if sp.DeniedPermissions, err = validateDenied(sp.DeniedPermissions); err != nil {
			return nil, nil, prefix(err, at)
		}
		wanted[sp.Name] = sp
	}
	names := make([]string, 0, len(wanted))
	for n := range wanted {
		names = append(names, n)
	}
	existing, err := x.s.client.Group.Query().Where(group.NameIn(names...)).All(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("loading groups: %w", err)
	}
	current := make(map[string]Spec, len(existing))
	ids := make(map[string]string, len(existing))
	for _, g := range existing {
		current[g.Name], ids[g.Name] = specOf(g), g.ID
	}
	changes, err := settings.Diff(ExchangeKey, current, wanted)
	if err != nil || len(changes) == 0 {
		return changes, nil, err
	}
	apply := func(ctx context.Context) error {
		for _, sp := range specs {
			sp = wanted[sp.Name] // validated
			id, exists := ids[sp.Name]
			if !exists {
				desc := sp.Description
				if _, err := x.s.Create(ctx, CreateInput{Name: sp.Name, Description: &desc,
					Permissions: sp.Permissions, DeniedPermissions: sp.DeniedPermissions}); err != nil {
					return err
				}
				continue
			}
			desc := sp.Description
			if _, err := x.s.Update(ctx, id, UpdateInput{Description: &desc, Permissions: sp.Permissions,
				SetPermissions: true, DeniedPermissions: sp.DeniedPermissions, SetDenied: true}); err != nil {
				return err
			}
		}
		return nil
	}
	return changes, apply, nil
}

// prefix puts at before an invalid field's name.
func prefix(err error, at string) error {
	if e, ok := errs.As(err); ok && e.Code == errs.CodeBadUserInput {
		return errs.Invalid(at+e.Field, e.Message)
	}
	return err
}
