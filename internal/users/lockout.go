package users

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/signinfailure"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
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

// LockoutPolicy locks out repeated failed sign-ins, per (account, client address) first: every
// Threshold failures from one address lock that address out of that account, for Base the first
// time and twice as long each time after, at most Max. The owner signing in from elsewhere is not
// affected, so nobody can keep an account (the only admin's included) locked by failing on
// purpose. The account as a whole is locked only after AccountThreshold failures from all
// addresses, for the shorter AccountLock, which bounds guessing spread over many addresses.
// While locked, attempts are refused as a wrong password is (see Service.Signin) and are not
// counted, so an attacker cannot extend a lock by guessing faster, and even a patient one only
// reaches Max, never a permanent lock. Failures are forgotten Forget after the last one of an
// address, or after the account's last lock ended. A successful sign-in clears its address and
// the account count; an admin's unlock clears everything.
type LockoutPolicy struct {
	Threshold int
	Base, Max time.Duration
	Forget    time.Duration
	// AccountThreshold failures from all addresses lock the whole account for AccountLock; zero
	// turns the account-wide lock off.
	AccountThreshold int
	AccountLock      time.Duration
}

// DefaultLockout: every 5 failures from one address lock it out for 1 minute, then 2, 4, ... up to
// an hour; every 50 failures from anywhere lock the account for 15 minutes; forgotten a day
// later.
func DefaultLockout() LockoutPolicy {
	return LockoutPolicy{Threshold: 5, Base: time.Minute, Max: time.Hour, Forget: 24 * time.Hour,
		AccountThreshold: 50, AccountLock: 15 * time.Minute}
}

// duration is how long the failures-th failed sign-in from one address locks that address out;
// 0 when it does not.
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

// accountDuration is how long the failures-th failed sign-in from all addresses locks the whole
// account; 0 when it does not.
func (p LockoutPolicy) accountDuration(failures int) time.Duration {
	if p.AccountThreshold <= 0 || failures <= 0 || failures%p.AccountThreshold != 0 {
		return 0
	}
	return p.AccountLock
}

// pairStale reports whether an address's earlier failures no longer count.
func (p LockoutPolicy) pairStale(lastFailure, now time.Time) bool {
	return now.Sub(lastFailure) > p.Forget
}

// clientKey names the caller's address in the lockout table; a hash keeps addresses out of it.
func clientKey(ctx context.Context) string {
	sum := sha256.Sum256([]byte(auth.RequestFrom(ctx).IP))
	return hex.EncodeToString(sum[:12])
}

// pairFailures returns the caller's address's failure record for u, or nil when it has none.
func (s *Service) pairFailures(ctx context.Context, c *ent.Client, u *ent.User) (*ent.SigninFailure, error) {
	f, err := c.SigninFailure.Query().
		Where(signinfailure.UserID(u.ID), signinfailure.Client(clientKey(ctx))).Only(authz.As(ctx, authz.Accounts))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loading failed sign-ins: %w", err)
	}
	return f, nil
}

// locked reports whether u may not sign in from the caller's address now: that address is locked
// out of the account, or the whole account is locked.
func (s *Service) locked(pair *ent.SigninFailure, u *ent.User) bool {
	now := s.now()
	return (pair != nil && pair.LockedUntil != nil && now.Before(*pair.LockedUntil)) ||
		(u.LockedUntil != nil && now.Before(*u.LockedUntil))
}

// recordFailedSignin counts a failed sign-in of u from the caller's address (pair is that
// address's record, nil for the first failure) and locks the address, or the account, once the
// policy says so.
//
// The writes deliberately run outside the caller's transaction, with the root client: a failed
// sign-in returns an error, which rolls the whole GraphQL mutation back, and a counter written
// inside it would be rolled back with it (an attacker would never be locked out). They run once
// that transaction has ended, because on SQLite the transaction holds the write lock until then.
func (s *Service) recordFailedSignin(ctx context.Context, u *ent.User, pair *ent.SigninFailure) {
	now := s.now().UTC()
	client := clientKey(ctx)
	bg := authz.As(db.WithoutTx(context.WithoutCancel(ctx)), authz.Accounts)
	db.AfterTx(ctx, func() {
		if err := s.countPairFailure(bg, u.ID, client, pair, now); err != nil {
			s.logger.ErrorContext(bg, "recording a failed sign-in", "err", err, "user", u.ID)
		}
		if err := s.countFailure(bg, u, now); err != nil {
			s.logger.ErrorContext(bg, "recording a failed sign-in", "err", err, "user", u.ID)
		}
	})
}

// countPairFailure adds one failure of the address client to u's record and locks it out when
// the count reaches a threshold.
func (s *Service) countPairFailure(ctx context.Context, userID, client string, pair *ent.SigninFailure, now time.Time) error {
	next := "signin_failures.failures + 1"
	if pair != nil && s.lockout.pairStale(pair.LastFailureAt, now) {
		next = "1"
	}
	// One statement, so that concurrent failures from one address each count.
	n, err := s.returnedCount(ctx, "INSERT INTO signin_failures (user_id, client, failures, last_failure_at) VALUES (?, ?, 1, ?) "+
		"ON CONFLICT (user_id, client) DO UPDATE SET failures = "+next+", last_failure_at = excluded.last_failure_at RETURNING failures",
		userID, client, now)
	if err != nil {
		return err
	}
	if d := s.lockout.duration(n); d > 0 {
		_, err = s.client.ExecContext(ctx, s.query("UPDATE signin_failures SET locked_until = ? WHERE user_id = ? AND client = ?"), now.Add(d), userID, client)
	}
	return err
}

// returnedCount runs a counting statement (sql, with ? placeholders) whose RETURNING clause
// gives the new count, and returns it; 0 when no row was touched.
func (s *Service) returnedCount(ctx context.Context, sql string, args ...any) (int, error) {
	rows, err := s.client.QueryContext(ctx, s.query(sql), args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

// countFailure adds one failure to u's account-wide count and locks the account when the count
// reaches the account threshold.
func (s *Service) countFailure(ctx context.Context, u *ent.User, now time.Time) error {
	q := s.query
	// Raw statements: the counter is security state, not a profile change, so it must not touch
	// updated_at the way an ent update would.
	reset := "failed_signins + 1"
	if u.LockedUntil != nil && now.Sub(*u.LockedUntil) > s.lockout.Forget {
		reset = "1"
	}
	n, err := s.returnedCount(ctx, "UPDATE users SET failed_signins = "+reset+" WHERE id = ? RETURNING failed_signins", u.ID)
	if err != nil {
		return err
	}
	if d := s.lockout.accountDuration(n); d > 0 {
		_, err = s.client.ExecContext(ctx, q("UPDATE users SET locked_until = ? WHERE id = ?"), now.Add(d), u.ID)
	}
	return err
}

// clearPair forgets the caller's address's failures for u, in c (the caller's transaction).
func (s *Service) clearPair(ctx context.Context, c *ent.Client, userID string) error {
	_, err := c.SigninFailure.Delete().Where(signinfailure.UserID(userID), signinfailure.Client(clientKey(ctx))).Exec(authz.As(ctx, authz.Accounts))
	if err != nil {
		return fmt.Errorf("clearing failed sign-ins: %w", err)
	}
	return nil
}

// clearFailures resets u's account-wide failure count and lock in c (the caller's transaction).
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

// LockedUntil returns when the latest lock on u ends, the account's or one address's, or nil
// when none holds now; for admins.
func (s *Service) LockedUntil(ctx context.Context, u *ent.User) (*time.Time, error) {
	now := s.now()
	var until *time.Time
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		until = u.LockedUntil
	}
	pair, err := db.ClientFrom(ctx, s.client).SigninFailure.Query().
		Where(signinfailure.UserID(u.ID), signinfailure.LockedUntilGT(now)).
		Order(ent.Desc(signinfailure.FieldLockedUntil)).First(authz.As(ctx, authz.Accounts))
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return nil, fmt.Errorf("loading sign-in locks: %w", err)
	case until == nil || pair.LockedUntil.After(*until):
		until = pair.LockedUntil
	}
	return until, nil
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
	// The per-address records are the accounts actor's own bookkeeping, not rows an admin edits.
	addresses, err := c.SigninFailure.Delete().Where(signinfailure.UserID(id)).Exec(authz.As(ctx, authz.Accounts))
	if err != nil {
		return nil, fmt.Errorf("clearing failed sign-ins: %w", err)
	}
	if u.FailedSignins == 0 && u.LockedUntil == nil && addresses == 0 {
		return u, nil
	}
	if err := s.clearFailures(ctx, c, id); err != nil {
		return nil, err
	}
	changes := map[string]audit.Change{"failedSignins": {Old: u.FailedSignins, New: 0}}
	if addresses > 0 {
		changes["failingAddresses"] = audit.Change{Old: addresses, New: 0}
	}
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
