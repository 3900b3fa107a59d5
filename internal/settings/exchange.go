package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/internal/access"
	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/errs"
)

// Exchanged is a part of the configuration that another package keeps (the default permissions
// in internal/permissions, the groups in internal/groups) and that export and import carry as one
// more section of the document, validated first and applied in the import's transaction like the
// settings' own sections.
type Exchanged interface {
	// Key names the section in the document.
	Key() string
	// Export returns the current value.
	Export(ctx context.Context) (any, error)
	// Plan validates the document's value and returns the changes it makes and a function that
	// applies them (audited) inside the import's transaction. No changes: apply may be nil.
	Plan(ctx context.Context, raw json.RawMessage) (changes []Change, apply func(ctx context.Context) error, err error)
}

// Diff compares two values of section field by field (dotted JSON paths), as imports report
// their changes; an Exchanged section uses it for its Plan.
func Diff(section string, old, cur any) ([]Change, error) { return diff(section, old, cur) }

// ExportVersion is the version of the export format; Import accepts this version only.
const ExportVersion = 1

// Export returns the whole configuration as a versioned document:
//
//	{"version": 1, "exportedAt": "...", "sections": {"auth": {...}, "toolServers": [...], ...}}
//
// Secrets are left out unless includeSecrets is set; an import of such a document keeps the
// stored secrets.
func (s *Service) Export(ctx context.Context, includeSecrets bool) (map[string]any, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(sections))
	for _, sec := range sections {
		v, err := sec.load(ctx, s.store)
		if err != nil {
			return nil, err
		}
		if !includeSecrets {
			v = sec.mask(v)
		}
		plain, err := plainJSON(v)
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", sec.key, err)
		}
		out[sec.key] = plain
	}
	for _, x := range s.extra {
		v, err := x.Export(ctx)
		if err != nil {
			return nil, err
		}
		plain, err := plainJSON(v)
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", x.Key(), err)
		}
		out[x.Key()] = plain
	}
	return map[string]any{
		"version":         ExportVersion,
		"exportedAt":      s.now().UTC().Format(time.RFC3339),
		"secretsIncluded": includeSecrets,
		"sections":        out,
	}, nil
}

// ImportResult is what an import changed, or with DryRun what it would change.
type ImportResult struct {
	DryRun  bool
	Changes []Change
	// Ignored lists the keys of an Open WebUI config.json that steward has no place for; it is
	// empty for steward's own documents.
	Ignored []string
}

// DefaultPermissionsKey names the default permissions' section (internal/permissions keeps it).
const DefaultPermissionsKey = "defaultPermissions"

// Import validates every section of doc (an Export document, or an Open WebUI config.json: see
// fromOpenWebUI) first and then applies them all, or nothing when any is invalid. Sections doc
// lacks stay as they are; secrets it lacks are kept. With dryRun it only reports the changes.
func (s *Service) Import(ctx context.Context, doc map[string]any, dryRun bool) (ImportResult, error) {
	if err := requireAdmin(ctx); err != nil {
		return ImportResult{}, err
	}
	var ignored []string
	if _, ours := doc["sections"]; !ours {
		var err error
		if doc, ignored, err = s.fromOpenWebUI(ctx, doc); err != nil {
			return ImportResult{}, err
		}
	}
	// Numbers arrive as json.Number, int64 or float64 depending on how the client sent them.
	if v, ok := doc["version"]; !ok || fmt.Sprint(v) != fmt.Sprint(ExportVersion) {
		return ImportResult{}, errs.Invalid("version", fmt.Sprintf("must be %d", ExportVersion))
	}
	secs, ok := doc["sections"].(map[string]any)
	if !ok {
		return ImportResult{}, errs.Invalid("sections", "must be an object of sections")
	}
	for key := range secs {
		if _, ok := sectionByKey(key); !ok && s.exchanged(key) == nil {
			return ImportResult{}, errs.Invalid("sections."+key, "is not a known section")
		}
	}
	type pending struct {
		key       string
		cur, next any
		changes   []Change
	}
	var todo []pending
	res := ImportResult{DryRun: dryRun, Changes: []Change{}, Ignored: append([]string{}, ignored...)}
	for _, sec := range sections { // export order, so the change list is stable
		v, present := secs[sec.key]
		if !present {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return ImportResult{}, errs.Invalid("sections."+sec.key, "is not JSON")
		}
		cur, err := sec.load(ctx, s.store)
		if err != nil {
			return ImportResult{}, err
		}
		next, err := sec.decode(raw, cur)
		if err != nil {
			return ImportResult{}, prefixField(err, "sections")
		}
		if err := s.validate(ctx, sec.key, next); err != nil {
			return ImportResult{}, prefixField(err, "sections."+sec.key)
		}
		changes, err := diff(sec.key, cur, next)
		if err != nil {
			return ImportResult{}, err
		}
		if len(changes) > 0 {
			todo = append(todo, pending{key: sec.key, cur: cur, next: next, changes: changes})
			res.Changes = append(res.Changes, changes...)
		}
	}
	var applies []func(context.Context) error
	for _, x := range s.extra {
		v, present := secs[x.Key()]
		if !present {
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return ImportResult{}, errs.Invalid("sections."+x.Key(), "is not JSON")
		}
		changes, apply, err := x.Plan(ctx, raw)
		if err != nil {
			return ImportResult{}, prefixField(err, "sections."+x.Key())
		}
		if len(changes) > 0 && apply != nil {
			applies = append(applies, apply)
			res.Changes = append(res.Changes, changes...)
		}
	}
	if dryRun {
		return res, nil
	}
	// Every section is valid: apply them all in one transaction, one audit entry each.
	err := db.InTx(ctx, s.client, func(ctx context.Context, _ *ent.Client) error {
		for _, p := range todo {
			if _, err := s.save(ctx, p.key, p.cur, p.next); err != nil {
				return err
			}
		}
		for _, apply := range applies {
			if err := apply(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// exchanged returns the Exchanged section named key, or nil.
func (s *Service) exchanged(key string) Exchanged {
	for _, x := range s.extra {
		if x.Key() == key {
			return x
		}
	}
	return nil
}

// plainJSON round-trips v through JSON, so that a document holds plain JSON values only.
func plainJSON(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var plain any
	if err := json.Unmarshal(raw, &plain); err != nil {
		return nil, err
	}
	return plain, nil
}

// fromOpenWebUI turns an Open WebUI config.json export (or its config table's document) into an
// Import document: each section Open WebUI sets is laid over the stored one, so that fields it
// does not have keep steward's values, and its user.permissions become the default permissions,
// less the keys steward does not know. It returns the keys steward has no place for.
func (s *Service) fromOpenWebUI(ctx context.Context, doc map[string]any) (map[string]any, []string, error) {
	mapped := FromOpenWebUI(doc)
	secs, _ := mapped.Document["sections"].(map[string]any)
	if len(secs) == 0 && mapped.DefaultPermissions == nil {
		return nil, nil, errs.Invalid("sections", "the document is neither a steward export (version 1 with sections) nor an Open WebUI config.json steward can read")
	}
	current, err := s.Export(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	stored, _ := current["sections"].(map[string]any)
	out := make(map[string]any, len(secs)+1)
	for key, v := range secs {
		out[key] = OverlayOpenWebUI(stored[key], v)
	}
	ignored := mapped.Ignored
	if mapped.DefaultPermissions != nil && s.exchanged(DefaultPermissionsKey) != nil {
		known, unknown := access.KnownOnly(mapped.DefaultPermissions)
		out[DefaultPermissionsKey] = known
		for _, k := range unknown {
			ignored = append(ignored, "user.permissions."+k)
		}
	}
	return map[string]any{"version": ExportVersion, "sections": out}, ignored, nil
}
