package settings

// ConnectionsKey is the section holding the model connection switches.
const ConnectionsKey = "connections"

// Connections holds Open WebUI's connection switches: whether users may add their own direct
// connections to model providers, and whether the base model list is cached.
type Connections struct {
	EnableDirectConnections bool `json:"enableDirectConnections"`
	EnableBaseModelsCache   bool `json:"enableBaseModelsCache"`
}

// DefaultConnections is Open WebUI's default: both off.
func DefaultConnections() Connections { return Connections{} }

// Validate accepts every combination: both fields are plain switches.
func (Connections) Validate() error { return nil }

// ConnectionsPatch changes the fields that are set and keeps the others.
type ConnectionsPatch struct {
	EnableDirectConnections *bool
	EnableBaseModelsCache   *bool
}

// apply returns c with p's set fields.
func (p ConnectionsPatch) apply(c Connections) Connections {
	setIf(&c.EnableDirectConnections, p.EnableDirectConnections)
	setIf(&c.EnableBaseModelsCache, p.EnableBaseModelsCache)
	return c
}

// setIf copies *src into *dst when src is set: the partial-update rule of every patch.
func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}
