package users

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// SigninLimiter counts sign-in and sign-up attempts; *ratelimit.Policy implements it.
type SigninLimiter interface {
	Signin(ctx context.Context, email string) error
	Signup(ctx context.Context) error
}

// Auditor records audit entries in the caller's transaction; *audit.Log implements it.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// LockoutPolicy locks an account after repeated failed sign-ins: every Threshold failures lock it,
// for Base the first time and twice as long each time after, at most Max. While locked, attempts
// are refused without checking the password and are not counted, so an attacker cannot extend a
// lock by guessing faster, and even a patient one only reaches Max, never a permanent lock.
// Failures are forgotten once the last lock ended more than Forget ago. A successful sign-in or an
// admin's unlock clears it.
type LockoutPolicy struct {
	Threshold int
	Base, Max time.Duration
	Forget    time.Duration
}

// DefaultLockout: every 5 failures lock for 1 minute, then 2, 4, ... up to an hour; forgotten a
// day after the last lock.
func DefaultLockout() LockoutPolicy {
	return LockoutPolicy{Threshold: 5, Base: time.Minute, Max: time.Hour, Forget: 24 * time.Hour}
}

// duration is how long the failures-th failed sign-in locks the account; 0 when it does not.
func (p LockoutPolicy) duration(failures int) time.Duration {
	if p.Threshold <= 0 || failures < p.Threshold || failures%p.Threshold != 0 {
		return 0
	}
	d := p.Base
	for i := 1; i < failures/p.Threshold && d < p.Max; i++ {
		d *= 2
	}
	return min(d, p.Max)
}

// lockedError refuses a sign-in to a locked account.
func lockedError(until, now time.Time) error {
	wait := until.Sub(now)
	return errs.RateLimited(fmt.Sprintf("this account is locked after too many failed sign-ins: try again in %d s or ask an administrator to unlock it",
		int(wait.Round(time.Second)/time.Second)), wait)
}

// recordFailedSignin counts a failed sign-in of u and locks the account once the policy says so.
//
// The write deliberately runs outside the caller's transaction, with the root client: a failed
// sign-in returns an error, which rolls the whole GraphQL mutation back, and a counter written
// inside it would be rolled back with it (an attacker would never be locked out). It runs once
// that transaction has ended, because on SQLite the transaction holds the write lock until then.
func (s *Service) recordFailedSignin(ctx context.Context, u *ent.User) {
	now := s.now().UTC()
	bg := authz.As(db.WithoutTx(context.WithoutCancel(ctx)), authz.Accounts)
	db.AfterTx(ctx, func() {
		if err := s.countFailure(bg, u, now); err != nil {
			s.logger.ErrorContext(bg, "recording a failed sign-in", "err", err, "user", u.ID)
		}
	})
}

func (s *Service) countFailure(ctx context.Context, u *ent.User, now time.Time) error {
	q := s.query
	// Raw statements: the counter is security state, not a profile change, so it must not touch
	// updated_at the way an ent update would.
	reset := "failed_signins + 1"
	if u.LockedUntil != nil && now.Sub(*u.LockedUntil) > s.lockout.Forget {
		reset = "1"
	}
	rows, err := s.client.QueryContext(ctx, q("UPDATE users SET failed_signins = "+reset+" WHERE id = ? RETURNING failed_signins"), u.ID)
	if err != nil {
		return err
	}
	n := 0
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
	}
	rows.Close()
	if d := s.lockout.duration(n); d > 0 {
		_, err = s.client.ExecContext(ctx, q("UPDATE users SET locked_until = ? WHERE id = ?"), now.Add(d), u.ID)
	}
	return err
}

// clearFailures resets u's failure count and lock in c (the caller's transaction).
func (s *Service) clearFailures(ctx context.Context, c *ent.Client, id string) error {
	_, err := c.ExecContext(ctx, s.query("UPDATE users SET failed_signins = 0, locked_until = NULL WHERE id = ?"), id)
	if err != nil {
		return fmt.Errorf("clearing failed sign-ins: %w", err)
	}
	return nil
}

// query rewrites ? placeholders for PostgreSQL.
func (s *Service) query(sql string) string {
	if s.db.Dialect != dialect.Postgres {
		return sql
	}
	out := make([]byte, 0, len(sql)+8)
	n := 0
	for i := 0; i < len(sql); i++ {
		if sql[i] == '?' {
			n++
			out = fmt.Appendf(out, "$%d", n)
			continue
		}
		out = append(out, sql[i])
	}
	return string(out)
}

// LockedUntil returns when u's lock ends, or nil when it is not locked now.
func (s *Service) LockedUntil(u *ent.User) *time.Time {
	if u.LockedUntil == nil || !s.now().Before(*u.LockedUntil) {
		return nil
	}
	return u.LockedUntil
}

// Unlock clears a user's sign-in lock and failure count, with an audit entry: ManageUsers.
func (s *Service) Unlock(ctx context.Context, id string) (*ent.User, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	return db.InTxResult(ctx, s.client, func(ctx context.Context) (*ent.User, error) { return s.unlock(ctx, id) })
}

// unlock is Unlock inside its transaction.
func (s *Service) unlock(ctx context.Context, id string) (*ent.User, error) {
	c := db.ClientFrom(ctx, s.client)
	u, err := c.User.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("loading user: %w", err)
	}
	if u.FailedSignins == 0 && u.LockedUntil == nil {
		return u, nil
	}
	if err := s.clearFailures(ctx, c, id); err != nil {
		return nil, err
	}
	changes := map[string]audit.Change{"failedSignins": {Old: u.FailedSignins, New: 0}}
	if u.LockedUntil != nil {
		changes["lockedUntil"] = audit.Change{Old: u.LockedUntil.UTC().Format(time.RFC3339), New: nil}
	}
	if s.audit != nil {
		err = s.audit.Record(ctx, audit.Entry{Action: audit.UserUnlocked, EntityType: "User", EntityID: id,
			Description: "sign-in lock cleared for " + u.Email, Changes: changes})
		if err != nil {
			return nil, err
		}
	}
	u.FailedSignins, u.LockedUntil = 0, nil
	return u, nil
}
