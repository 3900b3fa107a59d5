package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksNoCodeGenerator keeps the generators out of the server binary: importing
// entgo.io/contrib/entgql (whose package is also its generator) instead of third_party/entgql or
// ent/schema/entgql, anywhere the server reaches, would link them again without any other sign.
func TestLinksNoCodeGenerator(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the binary's packages")
	}
	out, err := exec.Command(goBin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	generators := []string{
		"go/types", "go/parser", "golang.org/x/tools/",
		"entgo.io/ent/entc", "entgo.io/contrib/entgql",
		"github.com/99designs/gqlgen/api", "github.com/99designs/gqlgen/codegen",
		"github.com/99designs/gqlgen/plugin", "github.com/99designs/gqlgen/internal/",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, g := range generators {
			if pkg == g || strings.HasPrefix(pkg, strings.TrimSuffix(g, "/")+"/") {
				t.Errorf("cmd/steward links %s, want no package of %s", pkg, g)
			}
		}
	}
}
