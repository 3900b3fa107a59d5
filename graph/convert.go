package graph

import (
	"context"

	"github.com/steward-dev/steward/graph/model"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/users"
)

// authPayload turns a signed-in result into the GraphQL payload and sets the token cookie.
func (r *Resolver) authPayload(ctx context.Context, res users.AuthResult) (*model.AuthPayload, error) {
	auth.SignedIn(ctx, &auth.Viewer{UserID: res.User.ID, Role: auth.Role(res.User.Role), SessionID: res.Issued.SessionID})
	perms, err := r.Perms.Mine(ctx)
	if err != nil {
		return nil, err
	}
	auth.SetTokenCookie(ctx, res.Issued.Token, res.Issued.ExpiresAt)
	return &model.AuthPayload{
		Token: res.Issued.Token, TokenType: "Bearer", ExpiresAt: res.Issued.ExpiresAt,
		User: res.User, Permissions: perms,
	}, nil
}

func explanation(e access.Explanation) *model.PermissionExplanation {
	out := &model.PermissionExplanation{Key: e.Key, Granted: e.Granted, Known: e.Known, Reason: e.Reason,
		Sources: make([]*model.PermissionSource, len(e.Sources))}
	for i, s := range e.Sources {
		src := &model.PermissionSource{Kind: model.PermissionSourceKind(s.Kind), Value: s.Value}
		if s.GroupID != "" {
			src.GroupID, src.GroupName = &s.GroupID, &s.GroupName
		}
		out.Sources[i] = src
	}
	return out
}

// viewerOrNamed returns the named user id for admins and the viewer's own id otherwise; a
// non-admin naming someone else is left to the domain to refuse.
func viewerOrNamed(ctx context.Context, userID *string) string {
	if userID != nil {
		return *userID
	}
	return auth.ViewerFrom(ctx).UserID
}

// ptrs adapts a domain slice to gqlgen's list of pointers.
func ptrs[T any](in []T) []*T {
	out := make([]*T, len(in))
	for i := range in {
		out[i] = &in[i]
	}
	return out
}

// values adapts gqlgen's list of input pointers to a domain slice.
func values[T any](in []*T) []T {
	out := make([]T, 0, len(in))
	for _, v := range in {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out
}

// stringMap shows a map of strings as a JSON object; nil stays null.
func stringMap(m map[string]string) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
