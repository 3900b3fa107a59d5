package authz

import (
	"time"

	"github.com/steward-dev/steward/internal/errs"
)

// NotSuspended refuses an account an admin suspended (users.Admin.Suspend): its sign-ins, its
// API keys and Open WebUI tokens, and the gateway's calls made for it. suspendedAt is the
// account's users.suspended_at. The refusal says why, as whoever presents the credential proved
// it is theirs.
func NotSuspended(suspendedAt *time.Time) error {
	if suspendedAt != nil {
		return errSuspended
	}
	return nil
}

var errSuspended = errs.Forbidden("this account is suspended; an administrator can reinstate it")
