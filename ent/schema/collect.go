package schema

// Collect names, for each GraphQL field of a type that is written by hand (an `extend type` in
// graph/*.graphqls, resolved outside ent), the table columns its resolver reads; nil when it reads
// none but the id (loaders key by id). ent/template/collection.tmpl turns the list into cases of
// the generated field collection, so a page asking for such a field selects only what it uses;
// a hand-written field missing here still makes the query read every column, which is safe.
// A resolver that starts reading another column must add it here.
type Collect struct {
	Fields map[string][]string
}

// Name is the annotation's key in the generated graph (read by ent/template/collection.tmpl).
func (Collect) Name() string { return "StewardCollect" }
