package settings

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// validator is what every section value implements.
type validator interface{ Validate() error }

// section describes one stored section generically, for the whole-config view, export and import.
type section struct {
	key string
	// load returns the current value, defaults filled in.
	load func(ctx context.Context, st *Store) (any, error)
	// decode parses an imported value strictly, fills its missing secrets from cur and normalises it.
	decode func(raw json.RawMessage, cur any) (any, error)
	// mask removes secrets, for the API and masked exports.
	mask func(v any) any
}

// newSection builds a section of type T. normalize, keep and mask may be nil.
func newSection[T validator](key string, def func() T, normalize func(T) T, keep func(next, old T) T, mask func(T) T) section {
	id := func(v T) T { return v }
	if normalize == nil {
		normalize = id
	}
	if mask == nil {
		mask = id
	}
	return section{
		key: key,
		load: func(ctx context.Context, st *Store) (any, error) {
			v := def()
			if _, err := st.Get(ctx, key, &v); err != nil {
				return nil, err
			}
			return normalize(v), nil
		},
		decode: func(raw json.RawMessage, cur any) (any, error) {
			// Fields an export of an older version lacks keep their defaults.
			v := def()
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&v); err != nil {
				return nil, errs.Invalid(key, "is not a valid "+key+" section: "+jsonProblem(err))
			}
			if keep != nil {
				v = keep(v, cur.(T))
			}
			return normalize(v), nil
		},
		mask: func(v any) any { return mask(v.(T)) },
	}
}

// jsonProblem describes a decoding error without echoing the input (it may hold secrets).
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	switch {
	case asErr(err, &te):
		return fmt.Sprintf("%s must be %s", te.Field, te.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "malformed JSON"
}

// sections lists every section in export order.
var sections = []section{
	newSection(AuthKey, DefaultAuth, nil, nil, nil),
	newSection(ConnectionsKey, DefaultConnections, nil, Connections.keepSecrets, Connections.masked),
	newSection(ToolServersKey, DefaultToolServers, ToolServers.normalized, ToolServers.keepSecrets, ToolServers.masked),
	newSection(CodeExecutionKey, DefaultCodeExecution, nil, CodeExecution.keepSecrets, CodeExecution.masked),
	newSection(ModelsKey, DefaultModelsConfig, Models.normalized, nil, nil),
	newSection(PromptSuggestionsKey, DefaultPromptSuggestions, PromptSuggestions.normalized, nil, nil),
	newSection(BannersKey, DefaultBanners, Banners.normalized, nil, nil),
	newSection(RateLimitsKey, DefaultRateLimits, nil, nil, nil),
	newSection(OAuthKey, DefaultOAuth, OAuth.normalized, OAuth.keepSecrets, OAuth.masked),
	newSection(LDAPKey, DefaultLDAP, nil, LDAP.keepSecrets, LDAP.masked),
	newSection(UIKey, DefaultUI, UI.normalized, nil, nil),
}

func sectionByKey(key string) (section, bool) {
	for _, s := range sections {
		if s.key == key {
			return s, true
		}
	}
	return section{}, false
}

// prefixField puts prefix in front of a BAD_USER_INPUT error's field ("0.url" -> "servers.0.url").
func prefixField(err error, prefix string) error {
	e, ok := errs.As(err)
	if !ok || e.Code != errs.CodeBadUserInput || prefix == "" {
		return err
	}
	field := prefix
	if e.Field != "" {
		field = prefix + "." + e.Field
	}
	return errs.Invalid(field, e.Message)
}
