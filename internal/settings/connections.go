package settings

import (
	"fmt"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// ConnectionsKey is the section holding the model connections.
const ConnectionsKey = "connections"

// Connections holds Open WebUI's connection switches (whether users may add their own direct
// connections to model providers, and whether the base model list is cached) and the
// OpenAI-compatible upstreams the gateway (/v1) forwards model calls to.
type Connections struct {
	EnableDirectConnections bool `json:"enableDirectConnections"`
	EnableBaseModelsCache   bool `json:"enableBaseModelsCache"`
	// OpenAI are the upstreams, in the order the gateway tries them (OPENAI_API_BASE_URLS).
	OpenAI []OpenAIConnection `json:"openai,omitempty"`
}

// OpenAIConnection is one OpenAI-compatible upstream. Key is write-only: it is stored, used by
// the gateway and exported only on explicit request, never returned by the API (KeySet says
// whether one is set).
type OpenAIConnection struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	Key string `json:"key,omitempty"`
	// Enabled connections serve calls; a disabled one is kept but skipped.
	Enabled bool `json:"enabled"`
	// ModelIDs are the upstream model names this connection serves; empty means every model.
	ModelIDs []string `json:"modelIds,omitempty"`
	// TimeoutSeconds bounds the wait for the upstream to start answering; 0 means 60 seconds.
	TimeoutSeconds int `json:"timeoutSeconds,omitempty"`
}

// KeySet reports whether the connection has a key.
func (o OpenAIConnection) KeySet() bool { return o.Key != "" }

// DefaultConnections is Open WebUI's default: both switches off, no upstream.
func DefaultConnections() Connections { return Connections{} }

// Validate checks the upstreams; fields are named "openai.<index>.<field>".
func (c Connections) Validate() error {
	if len(c.OpenAI) > 100 {
		return errs.Invalid("openai", "at most 100 connections")
	}
	ids := map[string]bool{}
	for i, o := range c.OpenAI {
		if err := o.Validate(); err != nil {
			return prefixField(err, fmt.Sprintf("openai.%d", i))
		}
		if ids[o.ID] {
			return errs.Invalid(fmt.Sprintf("openai.%d.id", i), "is used by another connection")
		}
		ids[o.ID] = true
	}
	return nil
}

// Validate checks one upstream.
func (o OpenAIConnection) Validate() error {
	if o.ID == "" || len(o.ID) > 128 {
		return errs.Invalid("id", "must be 1 to 128 characters")
	}
	if err := validateHTTPURL(o.URL); err != nil {
		return errs.Invalid("url", err.Error())
	}
	if len(o.Key) > 4096 || strings.ContainsAny(o.Key, "\r\n\x00") {
		return errs.Invalid("key", "must be at most 4096 bytes on one line")
	}
	if len(o.ModelIDs) > 1000 {
		return errs.Invalid("modelIds", "at most 1000 models")
	}
	for _, m := range o.ModelIDs {
		if m == "" || len(m) > 255 {
			return errs.Invalid("modelIds", "every model id must be 1 to 255 characters")
		}
	}
	if o.TimeoutSeconds < 0 || o.TimeoutSeconds > 3600 {
		return errs.Invalid("timeoutSeconds", "must be between 0 and 3600")
	}
	return nil
}

// keepSecrets gives every connection of next without a key the stored key of the connection
// with its id, so that an edit or an import without secrets keeps them.
func (c Connections) keepSecrets(old Connections) Connections {
	keys := map[string]string{}
	for _, o := range old.OpenAI {
		keys[o.ID] = o.Key
	}
	out := c
	out.OpenAI = make([]OpenAIConnection, len(c.OpenAI))
	for i, o := range c.OpenAI {
		if o.Key == "" {
			o.Key = keys[o.ID]
		}
		out.OpenAI[i] = o
	}
	return out
}

// masked is c without keys.
func (c Connections) masked() Connections {
	out := c
	out.OpenAI = make([]OpenAIConnection, len(c.OpenAI))
	for i, o := range c.OpenAI {
		o.Key = ""
		out.OpenAI[i] = o
	}
	return out
}

// ConnectionsPatch changes the fields that are set and keeps the others.
type ConnectionsPatch struct {
	EnableDirectConnections *bool
	EnableBaseModelsCache   *bool
	// OpenAI replaces the upstreams; a connection without a key keeps the stored key of its id.
	OpenAI *[]OpenAIConnectionInput
}

// OpenAIConnectionInput is one upstream as the API sets it.
type OpenAIConnectionInput struct {
	// ID keeps an existing connection's stored key; omitted, it is "openai-<index>".
	ID  *string
	URL string
	// Key is write-only: nil keeps the stored key, "" removes it.
	Key            *string
	Enabled        *bool
	ModelIDs       []string
	TimeoutSeconds *int
}

// apply returns c with p's set fields.
func (p ConnectionsPatch) apply(c Connections) Connections {
	setIf(&c.EnableDirectConnections, p.EnableDirectConnections)
	setIf(&c.EnableBaseModelsCache, p.EnableBaseModelsCache)
	if p.OpenAI != nil {
		keys := map[string]string{}
		for _, o := range c.OpenAI {
			keys[o.ID] = o.Key
		}
		next := make([]OpenAIConnection, len(*p.OpenAI))
		for i, in := range *p.OpenAI {
			o := OpenAIConnection{ID: fmt.Sprintf("openai-%d", i), URL: strings.TrimSpace(in.URL), Enabled: true, ModelIDs: in.ModelIDs}
			setIf(&o.ID, in.ID)
			setIf(&o.Enabled, in.Enabled)
			setIf(&o.TimeoutSeconds, in.TimeoutSeconds)
			o.Key = keys[o.ID]
			setIf(&o.Key, in.Key)
			next[i] = o
		}
		c.OpenAI = next
	}
	return c
}

// setIf copies *src into *dst when src is set: the partial-update rule of every patch.
func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
