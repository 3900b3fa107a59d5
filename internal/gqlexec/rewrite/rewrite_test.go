package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// testdata/generated.go.txt is a cut of gqlgen v0.17.95's output for steward's schema: the Group
// object with its fields, User.email (guarded by @private) and the marshal functions they use.
func rewriteTestdata(t *testing.T) (string, Stats) {
	t.Helper()
	src, err := os.ReadFile("testdata/generated.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	out, st, err := Rewrite(src, []string{"Group.creator"})
	if err != nil {
		t.Fatal(err)
	}
	return string(out), st
}

// body returns the source of the body of the function named name in src.
func body(t *testing.T, src, name string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == name {
			return src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset]
		}
	}
	t.Fatalf("no function %s", name)
	return ""
}

func TestRewrite(t *testing.T) {
	out, st := rewriteTestdata(t)
	if st != (Stats{Fields: 3, Lists: 1, Objects: 1, Responses: 2, SharedUnmarshalers: true}) {
		t.Errorf("stats = %+v", st)
	}
	for name, want := range map[string]string{
		// A plain string field: marshalled directly.
		"_Group_name": "{\n\treturn ec.marshalNString2string(ctx, field.Selections, obj.Name)\n}",
		"_Group_id":   "{\n\treturn ec.marshalNID2string(ctx, field.Selections, obj.ID)\n}",
	} {
		if got := body(t, out, name); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
		}
	}
	// A non-null time: directly unless zero, when gqlgen's path reports the null.
	created := body(t, out, "_Group_createdAt")
	if !strings.HasPrefix(created, "{\n\tif v := obj.CreatedAt; !v.IsZero() {\n\t\treturn ec.marshalNTime2timeᚐTime(ctx, field.Selections, v)\n\t}\n\treturn graphql.ResolveField(") {
		t.Errorf("_Group_createdAt:\n%s", created)
	}
	// Left to gqlgen: a field with a directive at run time, a resolver, a field whose context is
	// not known to have no children.
	for _, name := range []string{"_User_email", "_Group_memberCount", "_Group_creator", "_Group_description"} {
		if b := body(t, out, name); !strings.HasPrefix(b, "{\n\treturn graphql.ResolveField(") {
			t.Errorf("%s was rewritten:\n%s", name, b)
		}
	}
	if b := body(t, out, "_User_email"); !strings.Contains(b, "ec.Directives.Private") {
		t.Errorf("_User_email lost its directive:\n%s", b)
	}
	// The list of groups asks the table, which knows which of Group's fields wait.
	list := body(t, out, "marshalOGroup2ᚕᚖgithubᚗcomᚋstewardᚑdevᚋstewardᚋentᚐGroupᚄ")
	if !strings.Contains(list, `gqlexec.MarshalSlice(ctx, executorTypes.Waits(ctx, sel, "Group"), len(v), 0, false, func(`) {
		t.Errorf("list:\n%s", list)
	}
	for _, want := range []string{`"Group": {`, `"memberCount": {Waits: true}`, `"creator": {}`, `"name": {}`} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %s", want)
		}
	}
	// A resolver named ready runs in place; the others concurrently.
	obj := body(t, out, "_Group")
	if !strings.Contains(obj, "res = ec._Group_creator(ctx, field, obj)") || strings.Count(obj, "out.Values[i] = innerFunc(ctx, out)") != 1 ||
		strings.Count(obj, "out.Concurrently(i, func(ctx context.Context) graphql.Marshaler { return innerFunc(ctx, out) })") != 2 {
		t.Errorf("_Group:\n%s", obj)
	}
	src, err := os.ReadFile("testdata/generated.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Rewrite(src, []string{"Group.name"}); err == nil {
		t.Error("a plain field was accepted as a resolver to run in place")
	}
	// The object's fields are held and written by a gqlexec.Object.
	if !strings.Contains(obj, "object := gqlexec.NewObject(fields)\n\tout, deferredFieldSet := &object.Out, &object.Deferred\n") ||
		strings.Contains(obj, "graphql.NewFieldSet") || !strings.HasSuffix(obj, "return object\n}") {
		t.Errorf("_Group does not hold its fields in a gqlexec.Object:\n%s", obj)
	}
	// The object's deferred group is handed over only when there is one.
	if !strings.Contains(obj, "if len(deferLabelToView) > 0 {\n\t\tatomic.AddInt32(&ec.Deferred") {
		t.Errorf("_Group:\n%s", obj)
	}
	// Queries' and mutations' data are written by gqlexec.Marshal; a subscription, whose buffer
	// gqlgen keeps from one event to the next already, is left alone.
	exec := body(t, out, "Exec")
	if strings.Count(exec, "buf := gqlexec.Marshal(data)\n") != 2 || strings.Count(exec, "var buf bytes.Buffer") != 1 ||
		strings.Count(exec, "data.MarshalGQL(&buf)") != 1 {
		t.Errorf("Exec:\n%s", exec)
	}
	// The input unmarshalers, which use their context only to call each other, are built once.
	if !strings.Contains(exec, "inputUnmarshalMap := inputUnmarshalers()\n") || strings.Contains(exec, "BuildUnmarshalerMap") {
		t.Errorf("Exec builds its unmarshalers:\n%s", exec)
	}
	if !strings.Contains(out, "var inputUnmarshalers = gqlexec.ShareUnmarshalers(func() gqlexec.Unmarshalers {\n\tec := newExecutionContext(nil, nil, nil)\n\treturn graphql.BuildUnmarshalerMap(\n\t\tec.unmarshalInputAuditLogOrder,\n\t)\n})") {
		t.Errorf("no shared unmarshalers in:\n%s", out[strings.LastIndex(out, "executorTypes = "):])
	}
	// An unmarshaler that uses its context otherwise (a directive, the context passed on) keeps
	// gqlgen's map built for each operation.
	src, err = os.ReadFile("testdata/generated.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, use := range []string{"_ = ec.Directives.Private", "_ = ec", "ec := ec; _ = ec.unmarshalInputAuditLogOrder"} {
		changed := strings.Replace(string(src), "\tvar res = new(ent.AuditLogOrderField)\n", "\t"+use+"\n\tvar res = new(ent.AuditLogOrderField)\n", 1)
		got, st, err := Rewrite([]byte(changed), nil)
		if err != nil || st.SharedUnmarshalers || !strings.Contains(string(got), "inputUnmarshalMap := graphql.BuildUnmarshalerMap(") {
			t.Errorf("with %q in an unmarshaler: shared %v, err %v", use, st.SharedUnmarshalers, err)
		}
	}
	// Run again on its own output, it refuses rather than rewriting twice.
	if _, _, err := Rewrite([]byte(out), nil); err == nil {
		t.Error("a second rewrite was accepted")
	}
}

// TestGeneratedExecutorKeepsDirectives checks the committed executor: every field function that
// calls a directive still goes through gqlgen's ResolveField, so no guard is bypassed.
func TestGeneratedExecutorKeepsDirectives(t *testing.T) {
	src, err := os.ReadFile("../../../graph/generated.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	guarded := 0
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "_") {
			continue
		}
		b := string(src[fset.Position(fn.Body.Pos()).Offset:fset.Position(fn.Body.End()).Offset])
		if strings.Contains(b, "ec.Directives.") {
			guarded++
			if !strings.Contains(b, "graphql.ResolveField") || strings.Contains(b, "field.Selections, obj.") {
				t.Errorf("%s calls a directive but not through ResolveField", fn.Name.Name)
			}
		}
	}
	if guarded < 10 {
		t.Fatalf("only %d field functions call a directive: is this the executor?", guarded)
	}
	// A field that waits keeps the types under it, for fields an operation marks ready.
	if !strings.Contains(string(src), `"groups": {Waits: true, Of: []string{"Group"}}`) {
		t.Error(`the table lacks User's "groups": {Waits: true, Of: []string{"Group"}}`)
	}
}
