package settings

import (
	"fmt"
	"strings"

	"github.com/steward-dev/steward/internal/errs"
)

// ModelsKey is the section holding the default model choices.
const ModelsKey = "models"

// maxModelIDs bounds each list; Open WebUI instances rarely have more than a few hundred models.
const maxModelIDs = 1000

// Models holds the models new chats start with, the models pinned in every user's sidebar, and
// the order of the model selector.
type Models struct {
	DefaultModels       []string `json:"defaultModels"`
	DefaultPinnedModels []string `json:"defaultPinnedModels"`
	ModelOrderList      []string `json:"modelOrderList"`
}

// DefaultModelsConfig is empty lists: no defaults, the selector's natural order.
func DefaultModelsConfig() Models {
	return Models{DefaultModels: []string{}, DefaultPinnedModels: []string{}, ModelOrderList: []string{}}
}

// Validate checks that every list holds distinct, non-blank model ids. Ids are not checked
// against the model table: Open WebUI's models also come from connections steward does not see.
func (m Models) Validate() error {
	for _, l := range []struct {
		field string
		ids   []string
	}{{"defaultModels", m.DefaultModels}, {"defaultPinnedModels", m.DefaultPinnedModels}, {"modelOrderList", m.ModelOrderList}} {
		if err := validateIDList(l.field, l.ids); err != nil {
			return err
		}
	}
	return nil
}

func validateIDList(field string, ids []string) error {
	if len(ids) > maxModelIDs {
		return errs.Invalid(field, fmt.Sprintf("must hold at most %d model ids", maxModelIDs))
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		f := fmt.Sprintf("%s.%d", field, i)
		if strings.TrimSpace(id) == "" || id != strings.TrimSpace(id) {
			return errs.Invalid(f, "must be a model id without surrounding spaces")
		}
		if len(id) > 256 {
			return errs.Invalid(f, "must be at most 256 bytes")
		}
		if seen[id] {
			return errs.Invalid(f, fmt.Sprintf("%q is listed twice", id))
		}
		seen[id] = true
	}
	return nil
}

// normalized returns m with nil lists as empty ones, so that "unset" and "empty" compare equal.
func (m Models) normalized() Models {
	for _, l := range []*[]string{&m.DefaultModels, &m.DefaultPinnedModels, &m.ModelOrderList} {
		if *l == nil {
			*l = []string{}
		}
	}
	return m
}

// ModelsPatch changes the lists that are set and keeps the others.
type ModelsPatch struct {
	DefaultModels       []string
	DefaultPinnedModels []string
	ModelOrderList      []string
}

func (p ModelsPatch) apply(m Models) Models {
	if p.DefaultModels != nil {
		m.DefaultModels = p.DefaultModels
	}
	if p.DefaultPinnedModels != nil {
		m.DefaultPinnedModels = p.DefaultPinnedModels
	}
	if p.ModelOrderList != nil {
		m.ModelOrderList = p.ModelOrderList
	}
	return m.normalized()
}
