package loaders

import (
	"context"
	"errors"
	"testing"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/errs"
)

func TestBatchFunctionsAnswerInKeyOrder(t *testing.T) {
	for _, b := range dbtest.Backends() {
		t.Run(string(b), func(t *testing.T) {
			d := dbtest.NewDB(t, b)
			ctx := authz.AsOperator(context.Background())
			c := d.Client
			mk := func(name string) *ent.User {
				u, err := c.User.Create().SetName(name).SetEmail(name + "@example.com").Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			ann, bo, cy := mk("ann"), mk("bo"), mk("cy")
			gz, err := c.Group.Create().SetName("zeta").Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ga, err := c.Group.Create().SetName("alpha").Save(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range [][2]string{{ann.ID, gz.ID}, {ann.ID, ga.ID}, {cy.ID, gz.ID}} {
				if err := c.Membership.Create().SetUserID(m[0]).SetGroupID(m[1]).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}

			groups := groupsByUserID(c)(ctx, []string{cy.ID, bo.ID, ann.ID})
			want := [][]string{{"zeta"}, {}, {"alpha", "zeta"}}
			for i, r := range groups {
				if r.Error != nil {
					t.Fatalf("key %d: %v", i, r.Error)
				}
				var got []string
				for _, g := range r.Data {
					got = append(got, g.Name)
				}
				if len(got) != len(want[i]) || (len(got) > 0 && got[0] != want[i][0]) {
					t.Errorf("groups of key %d = %v, want %v (sorted by name)", i, got, want[i])
				}
			}

			counts := memberCountByGroupID(c)(ctx, []string{ga.ID, "missing", gz.ID})
			for i, w := range []int{1, 0, 2} {
				if counts[i].Data != w || counts[i].Error != nil {
					t.Errorf("count %d = %d (%v), want %d", i, counts[i].Data, counts[i].Error, w)
				}
			}

			users := userByID(c)(ctx, []string{bo.ID, "missing", ann.ID})
			if users[0].Data.ID != bo.ID || users[2].Data.ID != ann.ID {
				t.Fatalf("users out of key order")
			}
			if !errors.Is(users[1].Error, errs.ErrNotFound) {
				t.Fatalf("missing user error = %v, want NOT_FOUND", users[1].Error)
			}
		})
	}
}

func TestMissingLoadersAreAnError(t *testing.T) {
	if _, err := GroupsOfUser(context.Background(), "x"); !errors.Is(err, ErrMissing) {
		t.Fatalf("err = %v, want ErrMissing", err)
	}
	l := New(nil, Sources{}, 0)
	ctx := With(context.Background(), l)
	if got, err := From(ctx); err != nil || got != l {
		t.Fatalf("From = %v, %v", got, err)
	}
}
