package gateway

import (
	"context"
	"net/http"
	"net/mail"
	"strings"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/errs"
)

// The headers Open WebUI sends with ENABLE_FORWARD_USER_INFO_HEADERS=true.
const (
	HeaderUserID    = "X-OpenWebUI-User-Id"
	HeaderUserEmail = "X-OpenWebUI-User-Email"
	HeaderUserName  = "X-OpenWebUI-User-Name"
	HeaderUserRole  = "X-OpenWebUI-User-Role"
	HeaderChatID    = "X-OpenWebUI-Chat-Id"
)

// caller is who a call is for and how it was made.
type caller struct {
	// ctx carries the viewer the call is for: the key's owner, or the forwarded user.
	ctx    context.Context
	userID string
	// keyID is the API key that made the call (the service key when forwarded), "" for a token.
	keyID string
	// forwardedBy is the service key owner's id when the user came from forwarded headers.
	forwardedBy string
	chatID      string
}

// identify authenticates the bearer credential and, when its holder may forward users and the
// headers name one, switches to that user. Forwarded headers from anyone else are ignored: they
// are plain request headers any client can set. The role header is never believed; the steward
// account's own role counts.
// admit identifies the caller and checks that it may call models; otherwise it answers the
// request with the OpenAI-shaped error and returns false.
func (g *Gateway) admit(w http.ResponseWriter, r *http.Request) (*caller, bool) {
	c, err := g.identify(r)
	if err != nil {
		g.fail(r.Context(), w, err)
		return nil, false
	}
	if err := authz.Require(c.ctx, authz.CallModels); err != nil {
		g.fail(c.ctx, w, err)
		return nil, false
	}
	return c, true
}

func (g *Gateway) identify(r *http.Request) (*caller, error) {
	ctx := r.Context()
	h := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(h, " ")
	cred = strings.TrimSpace(cred)
	if h == "" || !strings.EqualFold(scheme, "Bearer") || cred == "" {
		return nil, invalidAPIKey("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
	}
	v, err := g.cfg.Authn.Authenticate(ctx, cred)
	if err != nil {
		if errs.CodeOf(err) == errs.CodeUnauthenticated {
			return nil, invalidAPIKey("Incorrect API key provided.")
		}
		return nil, err
	}
	ctx = auth.WithViewer(ctx, v)
	c := &caller{ctx: ctx, userID: v.UserID, keyID: v.APIKeyID}
	fwdID, fwdEmail := strings.TrimSpace(r.Header.Get(HeaderUserID)), strings.TrimSpace(r.Header.Get(HeaderUserEmail))
	if fwdID == "" && fwdEmail == "" {
		return c, nil
	}
	if !authz.Allowed(ctx, authz.ForwardUser(g.cfg.Perms)) {
		return c, nil
	}
	u, err := g.forwardedUser(ctx, fwdID, fwdEmail, strings.TrimSpace(r.Header.Get(HeaderUserName)))
	if err != nil {
		return nil, err
	}
	c.forwardedBy, c.userID = v.UserID, u.ID
	c.ctx = auth.WithViewer(r.Context(), &auth.Viewer{UserID: u.ID, Role: auth.Role(u.Role), APIKeyID: v.APIKeyID})
	if id := strings.TrimSpace(r.Header.Get(HeaderChatID)); id != "" && len(id) <= 255 {
		c.chatID = id
	}
	return c, nil
}

// forwardedUser finds the steward account Open WebUI names: by id (accounts imported from Open
// WebUI keep their ids), else by email. An unknown one is refused, or created as pending (which
// is refused too, until an admin approves it) when the policy says so.
func (g *Gateway) forwardedUser(ctx context.Context, id, email, name string) (*ent.User, error) {
	sys := authz.As(ctx, authz.Gateway)
	if id != "" && g.cfg.Accounts != nil {
		v, err := g.cfg.Accounts.Account(sys, id)
		if err == nil {
			return &ent.User{ID: v.UserID, Role: user.Role(v.Role)}, nil
		}
		if errs.CodeOf(err) != errs.CodeNotFound {
			return nil, err
		}
	} else if id != "" {
		u, err := g.cfg.Users.User.Query().Where(user.ID(id)).Only(sys)
		if err == nil {
			return suspendedOr(u)
		}
		if !ent.IsNotFound(err) {
			return nil, err
		}
	}
	if email != "" {
		u, err := g.cfg.Users.User.Query().Where(user.Email(strings.ToLower(email))).Only(sys)
		if err == nil {
			return suspendedOr(u)
		}
		if !ent.IsNotFound(err) {
			return nil, err
		}
	}
	if g.cfg.UnknownUsers != UnknownPending {
		return nil, permissionDenied("the forwarded user is not a steward account")
	}
	addr, err := mail.ParseAddress(email)
	if email == "" || err != nil || addr.Address != email {
		return nil, permissionDenied("the forwarded user is not a steward account, and has no valid email to create one with")
	}
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	if _, err := g.cfg.CreatePending(ctx, name, email); err != nil && errs.CodeOf(err) != errs.CodeConflict {
		return nil, err
	}
	return &ent.User{Email: email, Role: user.RolePENDING}, nil
}

// suspendedOr returns u, or the refusal of a suspended account.
func suspendedOr(u *ent.User) (*ent.User, error) {
	if err := authz.NotSuspended(u.SuspendedAt); err != nil {
		return nil, err
	}
	return u, nil
}
