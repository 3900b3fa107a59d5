package owuimport

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is what an import did, or with DryRun what it would do. It is printed at the end and
// written as JSON with --report, for the admin to keep.
type Report struct {
	Source     string    `json:"source"`
	DryRun     bool      `json:"dryRun"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
	// Layout says which of Open WebUI's table layouts were found (group members, API keys,
	// configuration, billing tables).
	Layout []string `json:"layout"`
	// Tables counts, per steward table in import order, what happened to the rows read for it.
	Tables []*Counts `json:"tables"`
	// Skipped lists every row not imported and why; Conflict marks those refused because steward
	// already holds something else under the same unique value (an email, a group name, a key).
	Skipped []Skip `json:"skipped"`
	// IgnoredConfigKeys are Open WebUI configuration keys (and permission keys) steward has no
	// place for.
	IgnoredConfigKeys []string `json:"ignoredConfigKeys"`
	// Notes are values changed on the way in (a field steward keeps shorter, a grant to an
	// account that was not imported).
	Notes []string `json:"notes"`
}

// Counts is one table's tally.
type Counts struct {
	Table     string `json:"table"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Skipped   int    `json:"skipped"`
	Conflicts int    `json:"conflicts"`
}

// Skip is one row that was not imported.
type Skip struct {
	Table    string `json:"table"`
	ID       string `json:"id"`
	Reason   string `json:"reason"`
	Conflict bool   `json:"conflict,omitempty"`
}

// Changed reports whether the import created or updated anything.
func (r *Report) Changed() bool {
	for _, c := range r.Tables {
		if c.Created+c.Updated > 0 {
			return true
		}
	}
	return false
}

// counts returns the tally of table, adding it in order on first use.
func (r *Report) counts(table string) *Counts {
	for _, c := range r.Tables {
		if c.Table == table {
			return c
		}
	}
	c := &Counts{Table: table}
	r.Tables = append(r.Tables, c)
	return c
}

func (r *Report) skip(table, id, reason string) {
	r.counts(table).Skipped++
	r.Skipped = append(r.Skipped, Skip{Table: table, ID: id, Reason: reason})
}

func (r *Report) conflict(table, id, reason string) {
	c := r.counts(table)
	c.Skipped++
	c.Conflicts++
	r.Skipped = append(r.Skipped, Skip{Table: table, ID: id, Reason: reason, Conflict: true})
}

// outcome is what happened to one row.
type outcome int

const (
	unchanged outcome = iota
	created
	updated
)

func (r *Report) count(table string, o outcome) {
	c := r.counts(table)
	switch o {
	case created:
		c.Created++
	case updated:
		c.Updated++
	default:
		c.Unchanged++
	}
}

// summary is the audit entry's changes: created/updated/unchanged/skipped per table.
func (r *Report) summary() map[string]any {
	out := map[string]any{}
	for _, c := range r.Tables {
		out[c.Table] = fmt.Sprintf("%d created, %d updated, %d unchanged, %d skipped", c.Created, c.Updated, c.Unchanged, c.Skipped)
	}
	return out
}

// Print writes the report for a person: the counts as a table, then each skipped row.
func (r *Report) Print(w io.Writer) error {
	verb := "imported"
	if r.DryRun {
		verb = "would import (dry run: nothing was written)"
	}
	fmt.Fprintf(w, "Open WebUI %s %s\n", r.Source, verb)
	for _, l := range r.Layout {
		fmt.Fprintf(w, "  %s\n", l)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tCREATE\tUPDATE\tUNCHANGED\tSKIPPED\tCONFLICTS\t")
	for _, c := range r.Tables {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", c.Table, c.Created, c.Updated, c.Unchanged, c.Skipped, c.Conflicts)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "skipped (%d):\n", len(r.Skipped))
		for _, s := range r.Skipped {
			tag := ""
			if s.Conflict {
				tag = " [conflict]"
			}
			fmt.Fprintf(w, "  %s %s: %s%s\n", s.Table, s.ID, s.Reason, tag)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(r.IgnoredConfigKeys) > 0 {
		fmt.Fprintf(w, "configuration keys steward does not keep (%d): %s\n", len(r.IgnoredConfigKeys), strings.Join(r.IgnoredConfigKeys, ", "))
	}
	return nil
}
