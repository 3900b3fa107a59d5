package db

import (
	"errors"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/errs"
)

// emptyWhereInputs are the errors ent's where-inputs return when a filter names no condition.
var emptyWhereInputs = []error{
	ent.ErrEmptyUserWhereInput, ent.ErrEmptyGroupWhereInput, ent.ErrEmptyPlanSubscriptionWhereInput,
	ent.ErrEmptyTransactionWhereInput, ent.ErrEmptyUsageEventWhereInput,
}

// PageError turns the complaints of ent's pagers about their input into BAD_USER_INPUT, by type:
// first and last together or negative (the pager's own *gqlerror.Error) and a where-input that
// names no condition. Any other error, a driver's included, is returned as it is, for the error
// boundary to keep from clients. Callers check what the pager reports only as text (the same
// order field twice) before they page.
func PageError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return err
	}
	var ge *gqlerror.Error
	if errors.As(err, &ge) && ge.Err == nil {
		return errs.Invalid("", ge.Message).Wrap(err)
	}
	for _, empty := range emptyWhereInputs {
		if errors.Is(err, empty) {
			return errs.Invalid("where", "names no condition").Wrap(err)
		}
	}
	return err
}
