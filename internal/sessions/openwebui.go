package sessions

import (
	"context"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/identity"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/db"
)

// OpenWebUIProvider is the identity provider of accounts imported from Open WebUI: the importer
// links each imported account to its Open WebUI id under it, and only accounts holding that link
// are named by an Open WebUI token.
const OpenWebUIProvider = "openwebui"

// OpenWebUIWindow accepts the tokens Open WebUI issued before the move, so that nobody has to sign
// in again on the day of the switch. The zero value accepts none.
type OpenWebUIWindow struct {
	// Secret is the WEBUI_SECRET_KEY Open WebUI signed its tokens with.
	Secret []byte
	// Until ends the window: from then on Open WebUI's tokens are refused.
	Until time.Time
}

func (w OpenWebUIWindow) open(now time.Time) bool {
	return len(w.Secret) > 0 && now.Before(w.Until)
}

// authenticateOpenWebUI accepts a token Open WebUI issued, inside the window, for the imported
// account it names. Such a token has no session row to revoke, so revoking all of an account's
// sessions (sign out everywhere, a password change, an admin's revocation) ends the link instead:
// every Open WebUI token of that account is refused from then on.
func (s *Service) authenticateOpenWebUI(ctx context.Context, credential string, now time.Time) (*auth.Viewer, error) {
	if !s.openWebUI.open(now) {
		return nil, errBadCredential
	}
	userID, err := auth.ParseOpenWebUIToken(s.openWebUI.Secret, credential, now)
	if err != nil {
		return nil, errBadCredential
	}
	key := "o:" + auth.HashAPIKey(credential)
	if v, ok := s.cache.get(key, now); ok {
		s.touchViewer(ctx, v, now)
		return v, nil
	}
	gen := s.cache.begin()
	u, err := s.openWebUIAccount(ctx, userID)
	if err != nil {
		return nil, err
	}
	// A token is a sign-in that did not happen here: an account locked against sign-ins is refused.
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return nil, errBadCredential
	}
	if err := authz.NotSuspended(u.SuspendedAt); err != nil {
		return nil, err
	}
	v := &auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role), OpenWebUIToken: true}
	if v.Role == auth.RolePending {
		// Open WebUI's admins "suspend" by demoting to pending; a pending account signs in again.
		return nil, errBadCredential
	}
	until := s.openWebUI.Until
	s.cache.put(key, v, gen, now, &until)
	s.touchViewer(ctx, v, now)
	return v, nil
}

// openWebUIAccount returns the account linked to Open WebUI's user id, or errBadCredential when
// there is none (never imported, deleted, or its tokens ended).
func (s *Service) openWebUIAccount(ctx context.Context, openWebUIID string) (*ent.User, error) {
	link, err := s.client.Identity.Query().
		Where(identity.Provider(OpenWebUIProvider), identity.Subject(openWebUIID)).
		WithUser().Only(authz.As(ctx, authz.Credentials))
	if ent.IsNotFound(err) {
		return nil, errBadCredential
	}
	if err != nil {
		return nil, fmt.Errorf("loading Open WebUI link: %w", err)
	}
	if link.Edges.User == nil {
		return nil, errBadCredential
	}
	return link.Edges.User, nil
}

// EndOpenWebUITokens refuses every Open WebUI token of userID from now on, the way signing out
// ends a session: ManageCredentials of userID.
func (s *Service) EndOpenWebUITokens(ctx context.Context, userID string) error {
	if err := authz.Require(ctx, authz.ManageCredentials(userID)); err != nil {
		return err
	}
	return db.InTx(ctx, s.client, func(ctx context.Context, _ *ent.Client) error { return s.endOpenWebUITokens(ctx, userID) })
}

// endOpenWebUITokens is EndOpenWebUITokens inside its transaction.
func (s *Service) endOpenWebUITokens(ctx context.Context, userID string) error {
	_, err := db.ClientFrom(ctx, s.client).Identity.Delete().
		Where(identity.Provider(OpenWebUIProvider), identity.UserID(userID)).
		Exec(authz.As(ctx, authz.Credentials))
	if err != nil {
		return fmt.Errorf("ending Open WebUI tokens: %w", err)
	}
	s.announce(ctx, userID)
	return nil
}

// stillValidOpenWebUI is StillValid for an Open WebUI token: the window is open and the account
// still linked, with the same role.
func (s *Service) stillValidOpenWebUI(ctx context.Context, v *auth.Viewer, now time.Time) bool {
	if !s.openWebUI.open(now) {
		return false
	}
	link, err := s.client.Identity.Query().
		Where(identity.Provider(OpenWebUIProvider), identity.UserID(v.UserID)).
		WithUser().First(authz.As(ctx, authz.Credentials))
	if err != nil {
		return !ent.IsNotFound(err)
	}
	return link.Edges.User != nil && auth.Role(link.Edges.User.Role) == v.Role
}
