package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db"
	"github.com/steward-dev/steward/internal/db/dbtest"
	"github.com/steward-dev/steward/internal/owuimport"
	"github.com/steward-dev/steward/internal/owuimport/owuitest"
	st "github.com/steward-dev/steward/internal/servertest"
)

// importCommand runs `steward import-openwebui args...` as a process on the database at url.
func importCommand(t *testing.T, bin, url string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"import-openwebui"}, args...)...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "WEBUI_SECRET_KEY="+st.TestSecret)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// TestImportCommand runs steward import-openwebui as a process against a real database: a dry
// run, the import with a JSON report, a second run that changes nothing, and the refusals.
func TestImportCommand(t *testing.T) {
	bin := buildBinary(t)
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		url := dbtest.NewURL(t, b)
		from := owuitest.New(t, dbtest.SQLite, owuitest.Newer)
		run := func(args ...string) (string, string) {
			t.Helper()
			out, errOut, err := importCommand(t, bin, url, args...)
			if err != nil {
				t.Fatalf("steward import-openwebui %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
			}
			return out, errOut
		}

		out, progress := run("--from", from, "--dry-run")
		if !strings.Contains(out, "dry run: nothing was written") || !strings.Contains(out, "users") {
			t.Errorf("the dry run printed %q", out)
		}
		// Not a terminal: one plain line per table, no bar.
		if !strings.Contains(progress, "users: 4/4 rows read") || strings.Contains(progress, "\r") {
			t.Errorf("progress on a pipe = %q, want a line per table", progress)
		}

		s := st.New(t, b, st.WithDatabaseURL(url))
		if r := s.Query(t, "", signinMutation, "e", owuitest.AliceEmail, "p", owuitest.AlicePassword); r.Code() != "UNAUTHENTICATED" {
			t.Fatalf("an account exists after the dry run: %s", r.Raw)
		}

		reportFile := filepath.Join(t.TempDir(), "import.json")
		out, _ = run("--from", from, "--report", reportFile)
		if !strings.Contains(out, "report written to "+reportFile) || !strings.Contains(out, "billing audit log") {
			t.Errorf("the import printed %q", out)
		}
		raw, err := os.ReadFile(reportFile)
		if err != nil {
			t.Fatal(err)
		}
		var rep owuimport.Report
		if err := json.Unmarshal(raw, &rep); err != nil {
			t.Fatalf("the report is not JSON: %v\n%s", err, raw)
		}
		if rep.DryRun || !rep.Changed() || len(rep.Skipped) == 0 {
			t.Errorf("report: dryRun %v, changed %v, %d skipped", rep.DryRun, rep.Changed(), len(rep.Skipped))
		}
		if r := s.Query(t, "", signinMutation, "e", owuitest.AliceEmail, "p", owuitest.AlicePassword); r.Code() != "" ||
			st.Get(r.Data, "signin.user.role") != "USER" {
			t.Fatalf("alice signing in after the import: %s", r.Raw)
		}

		run("--from", from, "--report", reportFile)
		raw, _ = os.ReadFile(reportFile)
		var again owuimport.Report
		if err := json.Unmarshal(raw, &again); err != nil || again.Changed() {
			t.Errorf("the second run changed something (%v): %s", err, raw)
		}

		for _, c := range []struct {
			args []string
			want string
		}{
			{nil, "--from is required"},
			{[]string{"--from", filepath.Join(t.TempDir(), "missing.db")}, "unable to open"},
			{[]string{"--from", url}, "no user table"}, // steward's own database is not Open WebUI's
		} {
			if _, errOut, err := importCommand(t, bin, url, c.args...); err == nil || !strings.Contains(errOut, c.want) {
				t.Errorf("import-openwebui %v: %v %q, want an error saying %q", c.args, err, errOut, c.want)
			}
		}
		if _, err := s.App.DB.SQL.Exec(fmt.Sprintf("UPDATE steward_schema_version SET version = %d", db.SchemaVersion+1)); err != nil {
			t.Fatal(err)
		}
		if _, errOut, err := importCommand(t, bin, url, "--from", from); err == nil || !strings.Contains(errOut, "newer than this steward") {
			t.Errorf("import into a newer schema: %v %q, want a refusal", err, errOut)
		}
	})
}

func TestProgress(t *testing.T) {
	for _, c := range []struct {
		name     string
		terminal bool
		want     string
	}{
		{"a terminal redraws a bar per table", true,
			"\rusers            [###############               ] 1/2" +
				"\rusers            [##############################] 2/2\n" +
				"\rgroups           [##############################] 1/1\n"},
		{"a pipe gets a line per table", false, "users: 2/2 rows read\ngroups: 1/1 rows read\n"},
	} {
		var b strings.Builder
		p := newProgress(&b, c.terminal)
		p.update("users", 1, 2)
		p.update("users", 2, 2)
		p.update("groups", 1, 1)
		p.finish()
		p.finish() // a second finish prints nothing more
		if got := b.String(); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
