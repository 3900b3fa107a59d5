package db_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

func TestPageError(t *testing.T) {
	driver := errors.New("sql: too many SQL variables")
	cases := []struct {
		name string
		err  error
		want errs.Code // "" means returned as it is
	}{
		{"nil", nil, ""},
		{"pager's own input error", &gqlerror.Error{Message: "`first` on a connection cannot be less than zero."}, errs.CodeBadUserInput},
		{"empty where-input, wrapped", fmt.Errorf("paging users: %w", ent.ErrEmptyUserWhereInput), errs.CodeBadUserInput},
		{"categorised error kept", errs.Conflict("taken"), errs.CodeConflict},
		{"driver error stays internal", driver, ""},
		{"driver error wrapped in a gqlerror stays internal", &gqlerror.Error{Message: driver.Error(), Err: driver}, ""},
		{"text that merely mentions a cursor stays internal", errors.New("bad cursor in the database"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := db.PageError(c.err)
			code := errs.Code("")
			if e, ok := errs.As(got); ok && got != nil {
				code = e.Code
			}
			if code != c.want {
				t.Fatalf("PageError(%v) = %v (code %q); want code %q", c.err, got, code, c.want)
			}
			if c.want == "" && got != c.err {
				t.Fatalf("PageError(%v) = %v; want the error unchanged", c.err, got)
			}
		})
	}
}
