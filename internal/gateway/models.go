package gateway

import (
	"encoding/json"
	"net/http"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/errs"
)

// modelObject is OpenAI's model object, with the display name Open WebUI shows.
type modelObject struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
	Name    string `json:"name"`
}

func toModelObject(m *ent.Model) modelObject {
	return modelObject{ID: m.ID, Object: "model", Created: m.CreatedAt.Unix(), OwnedBy: "steward", Name: m.Name}
}

// listModels answers GET /v1/models: the active models the caller may read, as the models
// service decides for every other path.
func (g *Gateway) listModels(w http.ResponseWriter, r *http.Request) {
	c, ok := g.admit(w, r)
	if !ok {
		return
	}
	ms, err := g.cfg.Models.List(c.ctx)
	if err != nil {
		g.fail(c.ctx, w, err)
		return
	}
	data := make([]modelObject, 0, len(ms))
	for _, m := range ms {
		if m.IsActive {
			data = append(data, toModelObject(m))
		}
	}
	writeJSON(w, map[string]any{"object": "list", "data": data})
}

// getModel answers GET /v1/models/{id}, with model_not_found for a model the caller may not read.
func (g *Gateway) getModel(w http.ResponseWriter, r *http.Request) {
	c, ok := g.admit(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	m, err := g.cfg.Models.Get(c.ctx, id)
	if errs.CodeOf(err) == errs.CodeNotFound || (err == nil && !m.IsActive) {
		modelNotFound(id).write(w)
		return
	}
	if err != nil {
		g.fail(c.ctx, w, err)
		return
	}
	writeJSON(w, toModelObject(m))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
