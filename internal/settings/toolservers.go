package settings

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/steward-dev/steward/internal/errs"
)

// ToolServersKey is the section holding the tool server connections.
const ToolServersKey = "toolServers"

// ToolServerType is the protocol a tool server speaks.
type ToolServerType string

// The tool server protocols.
const (
	ToolServerOpenAPI ToolServerType = "OPENAPI"
	ToolServerMCP     ToolServerType = "MCP"
)

// ToolServerAuthType says how Open WebUI authenticates to a tool server.
type ToolServerAuthType string

// The tool server authentication kinds of Open WebUI: none, a static bearer key, the user's own
// session token, the system OAuth client, or MCP's OAuth 2.1 flow.
const (
	ToolAuthNone        ToolServerAuthType = "NONE"
	ToolAuthBearer      ToolServerAuthType = "BEARER"
	ToolAuthSession     ToolServerAuthType = "SESSION"
	ToolAuthSystemOAuth ToolServerAuthType = "SYSTEM_OAUTH"
	ToolAuthOAuth21     ToolServerAuthType = "OAUTH21"
)

// ToolServer is one tool server connection. Key and the header values are write-only: they are
// stored, used by Verify and exported only on explicit request, and never returned by the API
// (KeySet says whether a key is set; headers show SecretMask for their values).
type ToolServer struct {
	ID       string             `json:"id"`
	URL      string             `json:"url"`
	Path     string             `json:"path"`
	Type     ToolServerType     `json:"type"`
	AuthType ToolServerAuthType `json:"authType"`
	Key      string             `json:"key,omitempty"`
	Headers  map[string]string  `json:"headers,omitempty"`
	// Config and Info are Open WebUI's free-form objects (enable flag, access control, name,
	// description); steward stores them as they are.
	Config map[string]any `json:"config,omitempty"`
	Info   map[string]any `json:"info,omitempty"`
}

// KeySet reports whether the server has a key.
func (t ToolServer) KeySet() bool { return t.Key != "" }

// ToolServers is the list of tool server connections.
type ToolServers []ToolServer

// DefaultToolServers is none.
func DefaultToolServers() ToolServers { return ToolServers{} }

// Validate checks every server; fields are named "<index>.<field>".
func (ts ToolServers) Validate() error {
	if len(ts) > 100 {
		return errs.Invalid("", "at most 100 tool servers")
	}
	ids := map[string]bool{}
	for i, t := range ts {
		if err := t.Validate(); err != nil {
			return prefixField(err, fmt.Sprint(i))
		}
		if ids[t.ID] {
			return errs.Invalid(fmt.Sprintf("%d.id", i), "is used by another tool server")
		}
		ids[t.ID] = true
	}
	return nil
}

// Validate checks one server.
func (t ToolServer) Validate() error {
	if t.ID == "" || len(t.ID) > 128 {
		return errs.Invalid("id", "must be 1 to 128 characters")
	}
	if err := validateHTTPURL(t.URL); err != nil {
		return errs.Invalid("url", err.Error())
	}
	if len(t.Path) > 1024 || strings.ContainsAny(t.Path, " \r\n\t") {
		return errs.Invalid("path", "must be a URL path of at most 1024 bytes without spaces")
	}
	switch t.Type {
	case ToolServerOpenAPI, ToolServerMCP:
	default:
		return errs.Invalid("type", "must be OPENAPI or MCP")
	}
	switch t.AuthType {
	case ToolAuthNone, ToolAuthSession, ToolAuthSystemOAuth, ToolAuthOAuth21:
	case ToolAuthBearer:
		if t.Key == "" {
			return errs.Invalid("key", "is required when authType is BEARER")
		}
	default:
		return errs.Invalid("authType", "must be NONE, BEARER, SESSION, SYSTEM_OAUTH or OAUTH21")
	}
	if len(t.Key) > 4096 {
		return errs.Invalid("key", "must be at most 4096 bytes")
	}
	if len(t.Headers) > 50 {
		return errs.Invalid("headers", "at most 50 headers")
	}
	for name, value := range t.Headers {
		if !validHeaderName(name) {
			return errs.Invalid("headers", fmt.Sprintf("%q is not a valid header name", name))
		}
		if strings.ContainsAny(value, "\r\n\x00") || len(value) > 8192 {
			return errs.Invalid("headers", fmt.Sprintf("the value of %s is not a valid header value", name))
		}
		if http.CanonicalHeaderKey(name) == "Host" {
			return errs.Invalid("headers", "Host cannot be overridden")
		}
	}
	return nil
}

// validateHTTPURL accepts absolute http(s) URLs with a host and without credentials.
func validateHTTPURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("must be an absolute http(s) URL")
	}
	if u.User != nil {
		return fmt.Errorf("must not contain credentials: use the key or headers")
	}
	if len(raw) > 2048 {
		return fmt.Errorf("must be at most 2048 bytes")
	}
	return nil
}

func (ts ToolServers) normalized() ToolServers {
	if ts == nil {
		return ToolServers{}
	}
	return ts
}

// SecretMask stands for a stored secret value (a tool server's header value) wherever the API or
// a masked export shows it; sent back, it keeps the stored value.
const SecretMask = "********"

// MaskedHeaders returns the header names with SecretMask for every value: header values usually
// carry credentials, so like keys they are write-only.
func (t ToolServer) MaskedHeaders() map[string]string {
	if t.Headers == nil {
		return nil
	}
	out := make(map[string]string, len(t.Headers))
	for name := range t.Headers {
		out[name] = SecretMask
	}
	return out
}

// masked returns a copy without keys and with masked header values, for the API and masked
// exports.
func (ts ToolServers) masked() ToolServers {
	out := make(ToolServers, len(ts))
	for i, t := range ts {
		t.Key = ""
		t.Headers = t.MaskedHeaders()
		out[i] = t
	}
	return out
}

// keepSecrets fills each server's missing key, and each masked header value, from the stored
// server with the same id, so a client that never saw them can still save the list.
func (ts ToolServers) keepSecrets(old ToolServers) ToolServers {
	byID := make(map[string]ToolServer, len(old))
	for _, t := range old {
		byID[t.ID] = t
	}
	out := make(ToolServers, len(ts))
	for i, t := range ts {
		prev, ok := byID[t.ID]
		if t.Key == "" {
			t.Key = prev.Key
		}
		var p *ToolServer
		if ok {
			p = &prev
		}
		t.Headers = unmaskHeaders(t.Headers, p)
		out[i] = t
	}
	return out
}

// unmaskHeaders replaces masked values in headers with prev's values for the same names; a masked
// header prev lacks is dropped, since the placeholder is never a real value.
func unmaskHeaders(headers map[string]string, prev *ToolServer) map[string]string {
	if headers == nil {
		return nil
	}
	out := make(map[string]string, len(headers))
	for name, value := range headers {
		if value != SecretMask {
			out[name] = value
			continue
		}
		if prev == nil {
			continue
		}
		for pn, pv := range prev.Headers {
			if http.CanonicalHeaderKey(pn) == http.CanonicalHeaderKey(name) {
				out[name] = pv
				break
			}
		}
	}
	return out
}

// ToolServerInput is a tool server as an admin submits it. A nil Key keeps the stored key of the
// server with the same id (or, without an id, the same url and path); an empty one removes it.
type ToolServerInput struct {
	ID       *string
	URL      string
	Path     *string
	Type     ToolServerType
	AuthType *ToolServerAuthType
	Key      *string
	Headers  map[string]any
	Config   map[string]any
	Info     map[string]any
}

// toolServersFrom turns inputs into servers, keeping stored keys where no new one is given. The
// second result is false, with the field at fault, when a header value is not a string.
func toolServersFrom(in []ToolServerInput, old ToolServers) (ToolServers, error) {
	out := make(ToolServers, len(in))
	for i, s := range in {
		t, err := s.server(old)
		if err != nil {
			return nil, prefixField(err, fmt.Sprint(i))
		}
		out[i] = t
	}
	return out, nil
}

func (s ToolServerInput) server(old ToolServers) (ToolServer, error) {
	t := ToolServer{URL: strings.TrimSpace(s.URL), Path: "openapi.json", Type: s.Type, AuthType: ToolAuthBearer, Config: s.Config, Info: s.Info}
	if s.Type == ToolServerMCP {
		t.Path = ""
	}
	setIf(&t.Path, s.Path)
	var prev *ToolServer
	for i := range old {
		o := &old[i]
		if (s.ID != nil && o.ID == *s.ID) || (s.ID == nil && o.URL == t.URL && o.Path == t.Path) {
			prev = o
			break
		}
	}
	switch {
	case s.ID != nil:
		t.ID = *s.ID
	case prev != nil:
		t.ID = prev.ID
	default:
		t.ID = uuid.NewString()
	}
	if s.Key != nil {
		t.Key = *s.Key
	} else if prev != nil {
		t.Key = prev.Key
	}
	// Without an explicit auth type: the stored server's, else BEARER when there is a key.
	switch {
	case s.AuthType != nil:
		t.AuthType = *s.AuthType
	case s.Key == nil && prev != nil:
		t.AuthType = prev.AuthType
	case t.Key == "":
		t.AuthType = ToolAuthNone
	}
	if len(s.Headers) > 0 {
		t.Headers = make(map[string]string, len(s.Headers))
		for k, v := range s.Headers {
			str, ok := v.(string)
			if !ok {
				return ToolServer{}, errs.Invalid("headers", fmt.Sprintf("the value of %s must be a string", k))
			}
			t.Headers[k] = str
		}
		// A header sent back as the API showed it keeps its stored value.
		t.Headers = unmaskHeaders(t.Headers, prev)
	}
	return t, nil
}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	if name == "" || len(name) > 256 {
		return false
	}
	for _, r := range name {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}
