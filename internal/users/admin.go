package users

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/credential"
	"github.com/steward-dev/steward/ent/group"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/audit"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/settings"
	"github.com/steward-dev/steward/third_party/entgql"
)

// AdminConfig wires an Admin.
type AdminConfig struct {
	DB       *db.DB
	Hasher   auth.Hasher
	Sessions *sessions.Service
	Settings *settings.Store
	Audit    *audit.Log
	Now      func() time.Time
	// OnCreate, when set, runs inside the creating transaction after the account exists, as
	// Config.OnSignup does for sign-ups (billing gives the account the default plan this way).
	OnCreate func(ctx context.Context, c *ent.Client, u *ent.User) error
}

// Validate reports a missing dependency.
func (c AdminConfig) Validate() error {
	if c.DB == nil || c.Sessions == nil || c.Settings == nil || c.Audit == nil {
		return errors.New("users: DB, Sessions, Settings and Audit are required")
	}
	return nil
}

// Admin implements the administration of accounts, with Open WebUI's safeguards: the primary
// admin (the earliest admin) can be changed only by itself and stays admin, nobody deletes
// themselves, and the last admin is never demoted or deleted. Every change is audited.
type Admin struct {
	db       *db.DB
	client   *ent.Client
	hasher   auth.Hasher
	sessions *sessions.Service
	settings *settings.Store
	audit    *audit.Log
	now      func() time.Time
	onCreate func(ctx context.Context, c *ent.Client, u *ent.User) error
}

// NewAdmin returns an Admin.
func NewAdmin(cfg AdminConfig) (*Admin, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.DB.Client.User.Intercept(countRows)
	return &Admin{db: cfg.DB, client: cfg.DB.Client, hasher: cfg.Hasher, sessions: cfg.Sessions,
		settings: cfg.Settings, audit: cfg.Audit, now: cfg.Now, onCreate: cfg.OnCreate}, nil
}

// ListInput pages through accounts.
type ListInput struct {
	After, Before *entgql.Cursor[string]
	First, Last   *int
	OrderBy       []*ent.UserOrder
	Where         *ent.UserWhereInput
	// Query matches name or email, case-insensitively.
	Query *string
}

// maxPage bounds first/last, so one request cannot ask for the whole table.
const maxPage = 1000

// List returns a page of accounts, newest first by default. The pager always breaks ties by id,
// so the order is stable whatever the sort field.
func (a *Admin) List(ctx context.Context, in ListInput) (*ent.UserConnection, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	if err := checkPage(in.First, in.Last); err != nil {
		return nil, err
	}
	if err := checkOrder(in.OrderBy); err != nil {
		return nil, err
	}
	order := in.OrderBy
	if len(order) == 0 {
		order = []*ent.UserOrder{{Direction: entgql.OrderDirectionDesc, Field: ent.UserOrderFieldCreatedAt}}
	}
	// Every filter here is a predicate or an EXISTS subquery, never a join, so rows cannot repeat:
	// without DISTINCT, totalCount is a plain COUNT(*) that SQLite answers from an index instead
	// of sorting every id (three times faster on a 10,000-user page).
	q := db.ClientFrom(ctx, a.client).User.Query().Unique(false)
	ctx = countingRows(ctx)
	if in.Query != nil {
		if s := strings.TrimSpace(*in.Query); s != "" {
			q.Where(user.Or(user.NameContainsFold(s), user.EmailContainsFold(s)))
		}
	}
	conn, err := q.Paginate(ctx, in.After, in.First, in.Before, in.Last,
		ent.WithUserOrder(order), ent.WithUserFilter(in.Where.Filter))
	if err != nil {
		return nil, db.PageError(err)
	}
	return conn, nil
}

// checkOrder refuses an order that names one field twice, which ent's pager reports only as text.
func checkOrder(order []*ent.UserOrder) error {
	seen := map[string]bool{}
	for _, o := range order {
		if o == nil || o.Field == nil {
			continue
		}
		if seen[o.Field.String()] {
			return errs.Invalid("orderBy", "names the same field twice")
		}
		seen[o.Field.String()] = true
	}
	return nil
}

// checkPage refuses negative or oversized page sizes with a clear message.
func checkPage(first, last *int) error {
	for name, v := range map[string]*int{"first": first, "last": last} {
		if v != nil && (*v < 0 || *v > maxPage) {
			return errs.Invalid(name, fmt.Sprintf("must be between 0 and %d", maxPage))
		}
	}
	return nil
}

// Get returns one account.
func (a *Admin) Get(ctx context.Context, id string) (*ent.User, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	u, err := db.ClientFrom(ctx, a.client).User.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("loading user: %w", err)
	}
	return u, nil
}

// GetByEmail returns the account with email, in any case, or nil: ManageUsers. An address that
// is not one is BAD_USER_INPUT on email.
func (a *Admin) GetByEmail(ctx context.Context, email string) (*ent.User, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	e, err := NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	u, err := db.ClientFrom(ctx, a.client).User.Query().Where(user.Email(e)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loading user: %w", err)
	}
	return u, nil
}

// Create adds an account with a password and a role: ManageUsers.
func (a *Admin) Create(ctx context.Context, in CreateInput) (*ent.User, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	acct, err := in.parse()
	if err != nil {
		return nil, err
	}
	settingsAuth, err := a.settings.Auth(ctx)
	if err != nil {
		return nil, err
	}
	role := user.Role(settingsAuth.DefaultUserRole)
	if acct.role != nil {
		role = *acct.role
	}
	// Hashed before the transaction: it is deliberately slow and needs no lock.
	hash, err := a.hashPassword(in.Password, settingsAuth.PasswordMinLength)
	if err != nil {
		return nil, err
	}
	var u *ent.User
	err = db.InTx(ctx, a.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Accounts)
		if err := a.emailFree(ctx, c, acct.email, ""); err != nil {
			return err
		}
		u, err = c.User.Create().SetName(acct.name).SetEmail(acct.email).SetRole(role).
			SetProfileImageURL(acct.image).SetLastActiveAt(a.now().UTC()).Save(sys)
		if err != nil {
			return conflictOr(err, "creating user")
		}
		if err := c.Credential.Create().SetUserID(u.ID).SetPasswordHash(hash).Exec(sys); err != nil {
			return fmt.Errorf("storing credential: %w", err)
		}
		// The admin made the account on purpose; DEFAULT_GROUP_ID applies to it as to sign-ups.
		if err := a.onboard(ctx, c, u, settingsAuth.DefaultGroupID); err != nil {
			return err
		}
		return a.audit.Record(ctx, audit.Entry{Action: audit.UserCreated, EntityType: "User", EntityID: u.ID,
			Description: fmt.Sprintf("admin created account %s with role %s", acct.email, role),
			Changes: map[string]audit.Change{
				"name": {New: acct.name}, "email": {New: acct.email}, "role": {New: string(role)}, "password": audit.Redacted(),
			}})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// onboard gives a new account what every account starts with: the default group
// (DEFAULT_GROUP_ID) and whatever the creation hook adds (billing's default plan).
func (a *Admin) onboard(ctx context.Context, c *ent.Client, u *ent.User, defaultGroupID string) error {
	if err := joinGroup(ctx, c, defaultGroupID, u.ID); err != nil {
		return err
	}
	if a.onCreate != nil {
		return a.onCreate(ctx, c, u)
	}
	return nil
}

// hashPassword applies the password policy (its minimum length is a setting) and hashes password.
func (a *Admin) hashPassword(password string, minLength int) (string, error) {
	if err := validatePassword("password", password, minLength); err != nil {
		return "", err
	}
	return a.hasher.Hash(password)
}

// Update changes an account under the safeguards. A new password revokes every session of the
// user. The role change is audited as USER_ROLE_CHANGED, the other fields as USER_UPDATED.
func (a *Admin) Update(ctx context.Context, id string, in UpdateInput) (*ent.User, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	edit, err := in.parse()
	if err != nil {
		return nil, err
	}
	hash := ""
	if edit.password != nil {
		settingsAuth, err := a.settings.Auth(ctx)
		if err != nil {
			return nil, err
		}
		// Hashed before the transaction: it is deliberately slow and must not hold the admins' lock.
		if hash, err = a.hashPassword(*edit.password, settingsAuth.PasswordMinLength); err != nil {
			return nil, err
		}
	}
	var out *ent.User
	err = db.InTx(ctx, a.client, func(ctx context.Context, c *ent.Client) error {
		// Taken before reading anything, so two admins demoting each other cannot both pass the
		// last-admin check.
		if err := a.lockAdmins(ctx, c); err != nil {
			return err
		}
		u, err := a.load(ctx, c, id)
		if err != nil {
			return err
		}
		if err := a.checkSafeguards(ctx, c, u, edit.role); err != nil {
			return err
		}
		var changes map[string]audit.Change
		if out, changes, err = a.apply(ctx, c, u, edit, hash); err != nil {
			return err
		}
		return a.auditUpdate(ctx, u, edit.role, changes)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// load reads one account for a change, NOT_FOUND when there is none.
func (a *Admin) load(ctx context.Context, c *ent.Client, id string) (*ent.User, error) {
	u, err := c.User.Get(authz.As(ctx, authz.Accounts), id)
	if ent.IsNotFound(err) {
		return nil, errs.NotFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("loading user: %w", err)
	}
	return u, nil
}

// checkSafeguards applies the rules that keep the server administrable: the primary admin
// (see primaryRule) and, when an admin would lose the role, that another admin remains.
func (a *Admin) checkSafeguards(ctx context.Context, c *ent.Client, u *ent.User, role *user.Role) error {
	primary, err := a.primaryAdminID(ctx, c)
	if err != nil {
		return err
	}
	viewer := ""
	if v := auth.ViewerFrom(ctx); v != nil {
		viewer = v.UserID
	} else if authz.ActorFrom(ctx) == authz.Console {
		// The operator at the console (steward admin) may change the primary admin as it may
		// itself: that is how a locked-out owner gets back in.
		viewer = primary
	}
	if err := primaryRule(viewer, u.ID, primary, role); err != nil {
		return err
	}
	// While primaryRule holds this never refuses (the last admin is always the primary one); it
	// stays so that relaxing that rule can never leave the server without an admin.
	if role != nil && u.Role == user.RoleADMIN && *role != user.RoleADMIN {
		return a.notLastAdmin(ctx, c, "demoted")
	}
	return nil
}

// primaryRule is Open WebUI's safeguard of the primary admin (the earliest admin account): only
// it may change itself, and it stays ADMIN, so the server always keeps one administrator nobody
// else can lock out. role is the requested role, nil when unchanged.
func primaryRule(viewerID, targetID, primaryID string, role *user.Role) error {
	if targetID != primaryID {
		return nil
	}
	if viewerID != targetID {
		return errs.Forbidden("the primary admin (the earliest admin account) can be changed only by itself")
	}
	if role != nil && *role != user.RoleADMIN {
		return errs.Forbidden("the primary admin (the earliest admin account) must stay ADMIN")
	}
	return nil
}

// apply writes the fields of edit that differ from u and returns the account and the changes
// for the USER_UPDATED entry. A role change ends the sessions' cached role; a new password revokes
// every other session.
func (a *Admin) apply(ctx context.Context, c *ent.Client, u *ent.User, edit accountEdit, hash string) (*ent.User, map[string]audit.Change, error) {
	changes := map[string]audit.Change{}
	upd := c.User.UpdateOneID(u.ID)
	if edit.name != nil && *edit.name != u.Name {
		upd.SetName(*edit.name)
		changes["name"] = audit.Change{Old: u.Name, New: *edit.name}
	}
	if edit.email != nil && *edit.email != u.Email {
		if err := a.emailFree(ctx, c, *edit.email, u.ID); err != nil {
			return nil, nil, err
		}
		upd.SetEmail(*edit.email)
		changes["email"] = audit.Change{Old: u.Email, New: *edit.email}
	}
	if edit.image != nil && *edit.image != u.ProfileImageURL {
		upd.SetProfileImageURL(*edit.image)
		changes["profileImageUrl"] = audit.Change{Old: truncateForAudit(u.ProfileImageURL), New: truncateForAudit(*edit.image)}
	}
	roleChanged := edit.role != nil && *edit.role != u.Role
	if roleChanged {
		upd.SetRole(*edit.role)
	}
	out, err := upd.Save(authz.As(ctx, authz.Accounts))
	if err != nil {
		return nil, nil, conflictOr(err, "updating user")
	}
	if roleChanged {
		a.sessions.CredentialsChanged(ctx, u.ID) // the sessions now carry another role
	}
	if edit.password != nil {
		// An admin changing their own password stays signed in on this session, as with
		// updatePassword; every other session of the account is revoked.
		keep := ""
		if v := auth.ViewerFrom(ctx); v != nil && v.UserID == u.ID {
			keep = v.SessionID
		}
		if err := a.setPassword(ctx, c, u.ID, hash, keep); err != nil {
			return nil, nil, err
		}
		changes["password"] = audit.Redacted()
	}
	return out, changes, nil
}

// auditUpdate records a role change as its own USER_ROLE_CHANGED entry (the one security reviews
// look for) and everything else as one USER_UPDATED entry; a change of nothing records nothing.
func (a *Admin) auditUpdate(ctx context.Context, u *ent.User, role *user.Role, changes map[string]audit.Change) error {
	if role != nil && *role != u.Role {
		err := a.audit.Record(ctx, audit.Entry{Action: audit.UserRoleChanged, EntityType: "User", EntityID: u.ID,
			Description: fmt.Sprintf("role of %s changed from %s to %s", u.Email, u.Role, *role),
			Changes:     map[string]audit.Change{"role": {Old: string(u.Role), New: string(*role)}}})
		if err != nil {
			return err
		}
	}
	if len(changes) == 0 {
		return nil
	}
	return a.audit.Record(ctx, audit.Entry{Action: audit.UserUpdated, EntityType: "User", EntityID: u.ID,
		Description: fmt.Sprintf("admin updated %s of %s", strings.Join(sortedKeys(changes), ", "), u.Email),
		Changes:     changes})
}

// setPassword stores a new hash (creating the credential of an account that had none, such as an
// OAuth account) and revokes every session but keepSession, so whoever knew the old password is
// signed out.
func (a *Admin) setPassword(ctx context.Context, c *ent.Client, userID, hash, keepSession string) error {
	sys := authz.As(ctx, authz.Accounts)
	n, err := c.Credential.Update().Where(credential.UserID(userID)).SetPasswordHash(hash).Save(sys)
	if err != nil {
		return fmt.Errorf("storing password: %w", err)
	}
	if n == 0 {
		if err := c.Credential.Create().SetUserID(userID).SetPasswordHash(hash).Exec(sys); err != nil {
			return fmt.Errorf("storing password: %w", err)
		}
	}
	_, err = a.sessions.RevokeAll(ctx, userID, keepSession)
	return err
}

// Delete removes an account. Its sessions, API keys and memberships go with it (foreign key
// cascades); its billing and audit rows stay, as they do not reference the users table.
func (a *Admin) Delete(ctx context.Context, id string) error {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return err
	}
	v := auth.ViewerFrom(ctx)
	if v != nil && v.UserID == id {
		return errs.Forbidden("you cannot delete your own account")
	}
	return db.InTx(ctx, a.client, func(ctx context.Context, c *ent.Client) error {
		sys := authz.As(ctx, authz.Accounts)
		if err := a.lockAdmins(ctx, c); err != nil {
			return err
		}
		u, err := a.load(ctx, c, id)
		if err != nil {
			return err
		}
		if u.Role == user.RoleADMIN {
			primary, err := a.primaryAdminID(ctx, c)
			if err != nil {
				return err
			}
			if u.ID == primary {
				return errs.Forbidden("the primary admin (the earliest admin account) cannot be deleted")
			}
			if err := a.notLastAdmin(ctx, c, "deleted"); err != nil {
				return err
			}
		}
		if err := c.User.DeleteOneID(id).Exec(sys); err != nil {
			return fmt.Errorf("deleting user: %w", err)
		}
		a.sessions.CredentialsChanged(ctx, id) // its sessions and API keys went with it
		return a.audit.Record(ctx, audit.Entry{Action: audit.UserDeleted, EntityType: "User", EntityID: id,
			Description: fmt.Sprintf("admin deleted account %s (%s)", u.Email, u.Role),
			Changes: map[string]audit.Change{
				"name": {Old: u.Name}, "email": {Old: u.Email}, "role": {Old: string(u.Role)},
			}})
	})
}

// BulkResult is what a bulk change did to one account.
type BulkResult struct {
	ID string
	// Done says the change was made; Err is the refusal (a categorised error) when it was not.
	Done bool
	Err  *errs.Error
}

// maxBulk bounds DeleteMany.
const maxBulk = 500

// DeleteMany deletes each account in turn under the same rules as Delete. A refusal (self,
// primary or last admin, unknown id) is reported for that id and the others go on; any other
// error aborts the whole call, which then changes nothing. Repeated ids are reported once.
func (a *Admin) DeleteMany(ctx context.Context, ids []string) ([]BulkResult, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	return a.bulk(ctx, ids, func(ctx context.Context, id string) error { return a.Delete(ctx, id) })
}

// SetRoles gives each account of ids role, as Update does one by one (the same safeguards: the
// primary admin stays ADMIN, the last admin is not demoted), in one transaction; a refusal is that
// account's result and does not stop the others: ManageUsers.
func (a *Admin) SetRoles(ctx context.Context, ids []string, role string) ([]BulkResult, error) {
	if err := authz.Require(ctx, authz.ManageUsers); err != nil {
		return nil, err
	}
	if err := (UpdateInput{Role: &role}).Validate(); err != nil {
		return nil, err
	}
	return a.bulk(ctx, ids, func(ctx context.Context, id string) error {
		_, err := a.Update(ctx, id, UpdateInput{Role: &role})
		return err
	})
}

// bulk runs change for each distinct id in one transaction. A categorised error (a refusal) is
// that id's result; any other error fails the whole call.
func (a *Admin) bulk(ctx context.Context, ids []string, change func(ctx context.Context, id string) error) ([]BulkResult, error) {
	if len(ids) > maxBulk {
		return nil, errs.Invalid("ids", fmt.Sprintf("at most %d ids per call", maxBulk))
	}
	out := make([]BulkResult, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	err := db.InTx(ctx, a.client, func(ctx context.Context, _ *ent.Client) error {
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			err := change(ctx, id)
			if e, ok := errs.As(err); ok {
				out = append(out, BulkResult{ID: id, Err: e})
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, BulkResult{ID: id, Done: true})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// adminLockKey serialises the admin safeguards on PostgreSQL, so two concurrent demotions cannot
// both see "another admin remains" and leave none. SQLite's writers already run one at a time.
const adminLockKey = 0x5354455741524431 + 3

func (a *Admin) lockAdmins(ctx context.Context, c *ent.Client) error {
	if a.db.Dialect != dialect.Postgres {
		return nil
	}
	if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(adminLockKey)); err != nil {
		return fmt.Errorf("locking admin safeguards: %w", err)
	}
	return nil
}

// primaryAdminID returns the earliest admin (ties broken by id), or "" when there is none.
func (a *Admin) primaryAdminID(ctx context.Context, c *ent.Client) (string, error) {
	id, err := c.User.Query().Where(user.RoleEQ(user.RoleADMIN)).
		Order(ent.Asc(user.FieldCreatedAt), ent.Asc(user.FieldID)).FirstID(authz.As(ctx, authz.Directory))
	if ent.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("finding primary admin: %w", err)
	}
	return id, nil
}

func (a *Admin) notLastAdmin(ctx context.Context, c *ent.Client, what string) error {
	n, err := c.User.Query().Where(user.RoleEQ(user.RoleADMIN)).Count(authz.As(ctx, authz.Directory))
	if err != nil {
		return fmt.Errorf("counting admins: %w", err)
	}
	if n <= 1 {
		return errs.Conflict("the last admin cannot be " + what + "; make another account admin first")
	}
	return nil
}

// emailFree reports CONFLICT when another account than except uses email.
func (a *Admin) emailFree(ctx context.Context, c *ent.Client, email, except string) error {
	q := c.User.Query().Where(user.Email(email))
	if except != "" {
		q.Where(user.IDNEQ(except))
	}
	taken, err := q.Exist(authz.As(ctx, authz.Directory))
	if err != nil {
		return fmt.Errorf("checking email: %w", err)
	}
	if taken {
		return errs.Conflict("another account already uses this email")
	}
	return nil
}

// parseRole accepts the three roles, in any case (Open WebUI sends them lower-case).
func parseRole(r string) (user.Role, error) {
	role := auth.Role(strings.ToUpper(strings.TrimSpace(r)))
	if !role.Valid() {
		return "", errs.Invalid("role", "must be ADMIN, USER or PENDING")
	}
	return user.Role(role), nil
}

// conflictOr maps a unique violation (a concurrent writer took the email) to CONFLICT.
func conflictOr(err error, what string) error {
	if ent.IsConstraintError(err) {
		return errs.Conflict("another account already uses this email")
	}
	return fmt.Errorf("%s: %w", what, err)
}

// joinGroup adds userID to groupID when that group exists; a stale DEFAULT_GROUP_ID is ignored.
func joinGroup(ctx context.Context, c *ent.Client, groupID, userID string) error {
	if groupID == "" {
		return nil
	}
	sys := authz.As(ctx, authz.Accounts)
	exists, err := c.Group.Query().Where(group.ID(groupID)).Exist(sys)
	if err != nil {
		return fmt.Errorf("checking default group: %w", err)
	}
	if !exists {
		return nil
	}
	return c.Membership.Create().SetUserID(userID).SetGroupID(groupID).
		OnConflictColumns("user_id", "group_id").Ignore().Exec(sys)
}

// truncateForAudit keeps data: URIs (avatars can be large) out of the audit log.
func truncateForAudit(s string) string {
	if len(s) > 256 {
		return s[:64] + "...(" + fmt.Sprint(len(s)) + " bytes)"
	}
	return s
}

func sortedKeys(m map[string]audit.Change) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
