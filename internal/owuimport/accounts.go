package owuimport

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/apikey"
	"github.com/steward-dev/steward/ent/credential"
	"github.com/steward-dev/steward/ent/identity"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/sessions"
	"github.com/steward-dev/steward/internal/users"
)

// Provider is the identity provider of every imported account: its subject is the account's
// Open WebUI id, which is what an Open WebUI token's id claim names (internal/sessions accepts
// such a token only for an account holding this identity).
const Provider = sessions.OpenWebUIProvider

// maxProfileImageURL is the longest profile image URL steward stores; Open WebUI keeps uploaded
// pictures as data: URLs, often longer.
const maxProfileImageURL = 4096

func (r *run) importUsers(ctx context.Context) error {
	r.rep.counts("users")
	for i, u := range r.snap.users {
		if err := r.importUser(ctx, u); err != nil {
			return fmt.Errorf("user %s: %w", u.str("id"), err)
		}
		r.tick("users", i+1, len(r.snap.users))
	}
	return nil
}

func (r *run) importUser(ctx context.Context, u row) error {
	id := u.str("id")
	if id == "" {
		r.rep.skip("users", "", "a user row without an id")
		return nil
	}
	email, err := users.NormalizeEmail("email", u.str("email"))
	if err != nil {
		r.rep.skip("users", id, fmt.Sprintf("the email %q is not a valid address", u.str("email")))
		return nil
	}
	role := user.Role(strings.ToUpper(u.str("role")))
	if user.RoleValidator(role) != nil {
		r.rep.skip("users", id, fmt.Sprintf("the role %q is not admin, user or pending", u.str("role")))
		return nil
	}
	name := strings.TrimSpace(u.str("name"))
	if name == "" {
		name = email[:strings.IndexByte(email, '@')]
	}
	picture := u.str("profile_image_url")
	if picture == "" {
		picture = "/user.png"
	}
	if len(picture) > maxProfileImageURL {
		r.rep.Notes = append(r.rep.Notes, fmt.Sprintf("user %s: the profile image (%d bytes) is longer than steward keeps; the default picture is shown", id, len(picture)))
		picture = "/user.png"
	}
	settings, info := u.object("settings"), u.object("info")
	subjects := oauthSubjects(u)
	lastActive, hasLastActive := u.epoch("last_active_at")

	old, err := r.c.User.Get(ctx, id)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	other, err := r.c.User.Query().Where(user.Email(email), user.IDNEQ(id)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	if other != nil {
		r.rep.conflict("users", id, fmt.Sprintf("the email %s belongs to another steward account (%s)", email, other.ID))
		return nil
	}
	outcome := unchanged
	if old == nil {
		createdAt, _ := u.epoch("created_at")
		if createdAt.IsZero() {
			createdAt = r.im.cfg.Now().UTC()
		}
		updatedAt, ok := u.epoch("updated_at")
		if !ok {
			updatedAt = createdAt
		}
		if !hasLastActive {
			lastActive = createdAt
		}
		q := r.c.User.Create().SetID(id).SetName(name).SetEmail(email).SetRole(role).SetProfileImageURL(picture).
			SetCreatedAt(micro(createdAt)).SetUpdatedAt(micro(updatedAt)).SetLastActiveAt(micro(lastActive))
		if settings != nil {
			q.SetSettings(settings)
		}
		if info != nil {
			q.SetInfo(info)
		}
		if len(subjects) > 0 {
			q.SetOauthSubjects(subjects)
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		outcome = created
	} else {
		q := old.Update()
		changed := false
		if old.Name != name {
			q.SetName(name)
			changed = true
		}
		if old.Email != email {
			q.SetEmail(email)
			changed = true
		}
		if old.Role != role {
			q.SetRole(role)
			changed = true
		}
		if old.ProfileImageURL != picture {
			q.SetProfileImageURL(picture)
			changed = true
		}
		// Activity in steward since the last import wins over the older source value.
		if hasLastActive && micro(lastActive).After(old.LastActiveAt) {
			q.SetLastActiveAt(micro(lastActive))
			changed = true
		}
		if settings != nil && !reflect.DeepEqual(old.Settings, settings) {
			q.SetSettings(settings)
			changed = true
		}
		if info != nil && !reflect.DeepEqual(old.Info, info) {
			q.SetInfo(info)
			changed = true
		}
		if len(subjects) > 0 && !reflect.DeepEqual(old.OauthSubjects, subjects) {
			q.SetOauthSubjects(subjects)
			changed = true
		}
		if changed {
			if err := q.Exec(ctx); err != nil {
				return err
			}
			outcome = updated
		}
	}
	r.rep.count("users", outcome)
	r.users[id] = true
	if err := r.importCredential(ctx, id, email); err != nil {
		return err
	}
	if err := r.linkOpenWebUI(ctx, id, email, outcome == created); err != nil {
		return err
	}
	for provider, sub := range subjects {
		if err := r.link(ctx, id, "oidc:"+provider, sub, email); err != nil {
			return err
		}
	}
	return nil
}

// importCredential copies the account's password hash as it is (bcrypt; steward replaces it
// with argon2id at the next sign-in).
func (r *run) importCredential(ctx context.Context, userID, email string) error {
	a, ok := r.snap.auth[userID]
	switch {
	case !ok:
		r.rep.skip("credentials", userID, "no auth row: the account has no password (it signs in through a provider)")
		return nil
	case !a.boolean("active", true):
		r.rep.skip("credentials", userID, "auth.active is false: the account was imported without its password")
		return nil
	}
	hash := a.str("password")
	if !strings.HasPrefix(hash, "$2a$") && !strings.HasPrefix(hash, "$2b$") && !strings.HasPrefix(hash, "$2y$") {
		r.rep.skip("credentials", userID, "the password hash is not bcrypt: the account was imported without a password")
		return nil
	}
	old, err := r.c.Credential.Query().Where(credential.UserID(userID)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	switch {
	case old == nil:
		if err := r.c.Credential.Create().SetUserID(userID).SetPasswordHash(hash).Exec(ctx); err != nil {
			return err
		}
		r.rep.count("credentials", created)
	case old.PasswordHash == hash, strings.HasPrefix(old.PasswordHash, "$argon2id$"):
		// An argon2id hash means the user signed in to steward (or changed the password here)
		// since the first import: steward's is the newer password.
		r.rep.count("credentials", unchanged)
	default:
		if err := old.Update().SetPasswordHash(hash).Exec(ctx); err != nil {
			return err
		}
		r.rep.count("credentials", updated)
	}
	return nil
}

// linkOpenWebUI links the account to its Open WebUI id, which lets Open WebUI's tokens of it work
// during the migration window. Only an account this run creates gets the link: an account that
// was imported before and has none any more had its Open WebUI tokens ended in steward (signing
// out, a password change, an admin's revocation), and importing again must not revive them.
func (r *run) linkOpenWebUI(ctx context.Context, userID, email string, created bool) error {
	if created {
		return r.link(ctx, userID, Provider, userID, email)
	}
	has, err := r.c.Identity.Query().Where(identity.Provider(Provider), identity.UserID(userID)).Exist(ctx)
	if err != nil {
		return err
	}
	if has {
		r.rep.count("identities", unchanged)
		return nil
	}
	r.rep.skip("identities", userID, "the account's Open WebUI tokens were ended in steward; importing again does not revive them")
	return nil
}

// link gives the account the identity (provider, subject), unless another account holds it.
func (r *run) link(ctx context.Context, userID, provider, subject, email string) error {
	old, err := r.c.Identity.Query().Where(identity.Provider(provider), identity.Subject(subject)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	switch {
	case old == nil:
		if err := r.c.Identity.Create().SetUserID(userID).SetProvider(provider).SetSubject(subject).SetEmail(email).Exec(ctx); err != nil {
			return err
		}
		r.rep.count("identities", created)
	case old.UserID != userID:
		r.rep.conflict("identities", provider+":"+subject, fmt.Sprintf("already links another steward account (%s)", old.UserID))
	default:
		r.rep.count("identities", unchanged)
	}
	return nil
}

// oauthSubjects reads the account's provider subjects: the newer oauth column ({"google":
// {"sub": "..."}}) or the older oauth_sub ("google@sub", or a bare sub of the one OIDC provider).
func oauthSubjects(u row) map[string]string {
	out := map[string]string{}
	for provider, v := range u.object("oauth") {
		if m, ok := v.(map[string]any); ok {
			if sub, ok := m["sub"].(string); ok && sub != "" {
				out[provider] = sub
			}
		}
	}
	if s := u.str("oauth_sub"); s != "" && len(out) == 0 {
		if provider, sub, ok := strings.Cut(s, "@"); ok && provider != "" && sub != "" {
			out[provider] = sub
		} else {
			out["oidc"] = s
		}
	}
	return out
}

func (r *run) importAPIKeys(ctx context.Context) error {
	r.rep.counts("api keys")
	for i, k := range r.snap.apiKeys {
		if err := r.importAPIKey(ctx, k); err != nil {
			return fmt.Errorf("API key %s: %w", k.id, err)
		}
		r.tick("api keys", i+1, len(r.snap.apiKeys))
	}
	return nil
}

// importAPIKey stores the key's hash the way steward stores its own keys, so the original key
// still authenticates; steward never holds it in clear.
func (r *run) importAPIKey(ctx context.Context, k apiKey) error {
	if !r.users[k.userID] {
		r.rep.skip("api keys", k.id, fmt.Sprintf("its account %s was not imported", k.userID))
		return nil
	}
	if !auth.LooksLikeAPIKey(k.key) || utf8.RuneCountInString(k.key) < 12 {
		r.rep.skip("api keys", k.id, "not an sk- key")
		return nil
	}
	hash := auth.HashAPIKey(k.key)
	old, err := r.c.APIKey.Query().Where(apikey.KeyHash(hash)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return err
	}
	switch {
	case old == nil:
		q := r.c.APIKey.Create().SetUserID(k.userID).SetName("Open WebUI key").SetKeyHash(hash).
			SetPrefix(k.key[:7] + "..." + k.key[len(k.key)-4:])
		if t, ok := k.r.epoch("created_at"); ok {
			q.SetCreatedAt(micro(t))
		}
		if t, ok := k.r.epoch("expires_at"); ok {
			q.SetExpiresAt(micro(t))
		}
		if t, ok := k.r.epoch("last_used_at"); ok {
			q.SetLastUsedAt(micro(t))
		}
		if err := q.Exec(ctx); err != nil {
			return err
		}
		r.rep.count("api keys", created)
	case old.UserID != k.userID:
		r.rep.conflict("api keys", k.id, "the same key belongs to another steward account")
	default:
		r.rep.count("api keys", unchanged)
	}
	return nil
}

// micro truncates t to what both databases store, so a re-import compares equal.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
