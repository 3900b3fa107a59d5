package errs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// invalidCall matches errs.Invalid("field", "message...") with literal arguments.
var invalidCall = regexp.MustCompile(`errs\.Invalid\("([A-Za-z0-9_.]+)", "([^"]*)"`)

// TestInvalidMessagesDoNotRepeatTheField: clients show a field error's message under the field
// (the console does, at extensions.field), so a message that starts with the field's own name
// reads "amount: amount must be positive". Every literal call in the module is held to that.
func TestInvalidMessagesDoNotRepeatTheField(t *testing.T) {
	root := filepath.Join("..", "..")
	var bad []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "web" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range invalidCall.FindAllStringSubmatch(string(src), -1) {
			field := m[1][strings.LastIndex(m[1], ".")+1:]
			if strings.HasPrefix(m[2], field+" ") {
				bad = append(bad, path+": "+m[0])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("messages that repeat their field's name:\n%s", strings.Join(bad, "\n"))
	}
}
