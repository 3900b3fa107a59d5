package access

import "github.com/steward-dev/steward/internal/errs"

// Messages of the errs.Invalid errors this package returns. Callers match on errs.CodeOf and
// the Field; the texts are for people.
const (
	msgUnknownKey = "unknown permission key"
	msgNotBool    = "must be a boolean"
	msgNotObject  = "must be an object"
)

func errUnknownKey(key string) *errs.Error { return errs.Invalid(key, msgUnknownKey) }

func errNotBool(key string) *errs.Error { return errs.Invalid(key, msgNotBool) }

func errNotObject(key string) *errs.Error { return errs.Invalid(key, msgNotObject) }
