package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Stats counts what Rewrite changed.
type Stats struct {
	Fields, Lists, Objects, Responses int
	SharedUnmarshalers                bool
}

// neverNull lists gqlgen's scalar marshalers that never give null, whatever the value.
var neverNull = map[string]bool{
	"MarshalString": true, "MarshalBoolean": true, "MarshalID": true, "MarshalInt": true,
	"MarshalInt32": true, "MarshalInt64": true, "MarshalFloat": true,
}

// nullWhenZero lists those that give null for the zero value only (a check the rewritten field
// makes before taking the direct path).
var nullWhenZero = map[string]bool{"MarshalTime": true}

// errorCalls are the calls by which a marshal function reports an error, which needs the
// field's own context.
var errorCalls = []string{"AddError", "AddErrorf", "WrapContextMarshaler", "GetFieldContext", "HasFieldError"}

const (
	importPath     = "github.com/steward-dev/steward/internal/gqlexec"
	tableName      = "executorTypes"
	unmarshalersFn = "inputUnmarshalers"
)

type edit struct {
	from, to int
	text     string
}

type rewriter struct {
	src     []byte
	fset    *token.FileSet
	methods map[string]*ast.FuncDecl
	objects map[string]*ast.FuncDecl // by GraphQL type name
	edits   []edit
	tail    []string // declarations appended to the file
}

// Rewrite returns src rewritten as the package comment says, and what it changed. ready names
// resolvers ("Type.field") that never wait: they run in place instead of concurrently, and count
// as not waiting in the table.
func Rewrite(src []byte, ready []string) ([]byte, Stats, error) {
	var st Stats
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", src, parser.ParseComments)
	if err != nil {
		return nil, st, err
	}
	if slices.ContainsFunc(file.Imports, func(s *ast.ImportSpec) bool { return s.Path.Value == strconv.Quote(importPath) }) {
		return nil, st, fmt.Errorf("the file was rewritten already: run gqlgen first")
	}
	r := &rewriter{src: src, fset: fset, methods: map[string]*ast.FuncDecl{}, objects: map[string]*ast.FuncDecl{}}
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || fn.Body == nil {
			continue
		}
		r.methods[fn.Name.Name] = fn
		if name, ok := strings.CutPrefix(fn.Name.Name, "_"); ok && isObject(fn) {
			r.objects[name] = fn
		}
	}
	table := r.table()
	for _, name := range ready {
		typ, field, _ := strings.Cut(name, ".")
		if !r.runInPlace(typ, field) {
			return nil, st, fmt.Errorf("%s: no field run concurrently by that name", name)
		}
		info := table[typ][field]
		info.waits = false
		table[typ][field] = info
	}
	for _, d := range file.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || fn.Body == nil {
			continue
		}
		switch {
		case r.objects[strings.TrimPrefix(fn.Name.Name, "_")] == fn:
			deferred, written := r.skipEmptyDeferred(fn), r.writeObject(fn)
			if deferred != written {
				return nil, st, fmt.Errorf("%s: unexpected shape", fn.Name.Name)
			}
			if deferred {
				st.Objects++
			}
		case fn.Name.Name == "Exec":
			st.Responses += r.marshalResponses(fn)
			st.SharedUnmarshalers = r.shareUnmarshalers(fn)
		case strings.HasPrefix(fn.Name.Name, "_"):
			if body, ok := r.directBody(fn); ok {
				r.replace(fn.Body, body)
				st.Fields++
			}
		case strings.HasPrefix(fn.Name.Name, "marshal"):
			if r.listInOrder(fn) {
				st.Lists++
			}
		}
	}
	if st.Lists > 0 || st.Objects > 0 || st.Responses > 0 || st.SharedUnmarshalers {
		i := slices.IndexFunc(file.Decls, func(d ast.Decl) bool { g, ok := d.(*ast.GenDecl); return ok && g.Tok == token.IMPORT })
		if i < 0 || !file.Decls[i].(*ast.GenDecl).Lparen.IsValid() {
			return nil, st, fmt.Errorf("no import block to add %s to", importPath)
		}
		imports := file.Decls[i].(*ast.GenDecl) // gqlgen's single import block
		r.edits = append(r.edits, edit{r.offset(imports.Lparen) + 1, r.offset(imports.Lparen) + 1, "\n\t" + strconv.Quote(importPath)})
		r.edits = append(r.edits, edit{len(src), len(src), tableSource(table) + strings.Join(r.tail, "")})
	}
	slices.SortFunc(r.edits, func(a, b edit) int { return a.from - b.from })
	var out bytes.Buffer
	last := 0
	for _, e := range r.edits {
		out.Write(src[last:e.from])
		out.WriteString(e.text)
		last = e.to
	}
	out.Write(src[last:])
	formatted, err := format.Source(out.Bytes())
	if err != nil {
		return nil, st, fmt.Errorf("formatting the rewritten file: %w", err)
	}
	return formatted, st, nil
}

func (r *rewriter) offset(p token.Pos) int { return r.fset.Position(p).Offset }

func (r *rewriter) text(n ast.Node) string { return string(r.src[r.offset(n.Pos()):r.offset(n.End())]) }

func (r *rewriter) replace(n ast.Node, text string) {
	r.edits = append(r.edits, edit{r.offset(n.Pos()), r.offset(n.End()), text})
}

// isObject reports whether fn is gqlgen's marshal function of an object type:
// _T(ctx, sel, obj) starting with graphql.CollectFields.
func isObject(fn *ast.FuncDecl) bool {
	if fn.Type.Params.NumFields() != 3 || len(fn.Body.List) == 0 {
		return false
	}
	as, ok := fn.Body.List[0].(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 {
		return false
	}
	c, ok := as.Rhs[0].(*ast.CallExpr)
	return ok && isSelector(c.Fun, "graphql", "CollectFields")
}

// table reads, from each object's marshal function, which of its fields gqlgen runs
// concurrently and which object types the others' values may be.
func (r *rewriter) table() map[string]map[string]fieldInfo {
	table := map[string]map[string]fieldInfo{}
	for name, fn := range r.objects {
		fields := map[string]fieldInfo{}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			cc, ok := n.(*ast.CaseClause)
			if !ok || len(cc.List) != 1 {
				return true
			}
			lit, ok := cc.List[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			field, _ := strconv.Unquote(lit.Value)
			if field == "__typename" {
				return false
			}
			// The types of a field that waits matter too: an operation may mark it ready
			// (gqlexec.MarkReady), and what is under it is then looked at.
			fields[field] = fieldInfo{waits: mentionsAny(cc, []string{"Concurrently"}), of: r.fieldTypes(cc)}
			return false
		})
		table[name] = fields
	}
	return table
}

type fieldInfo struct {
	waits bool
	of    []string
}

// fieldTypes returns the object types the value of the field whose case clause is cc may be.
func (r *rewriter) fieldTypes(cc *ast.CaseClause) []string {
	types := map[string]bool{}
	ast.Inspect(cc, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !isIdent(sel.X, "ec") {
			return true
		}
		fn := r.methods[sel.Sel.Name]
		if fn == nil {
			return true
		}
		rc := returnedCall(fn.Body)
		if rc != nil && isSelector(rc.Fun, "graphql", "ResolveField") && len(rc.Args) == 9 {
			if m, ok := calledMethod(rc.Args[6]); ok {
				r.reach(m, types, map[string]bool{})
			}
		}
		return true
	})
	return slices.Sorted(maps.Keys(types))
}

// reach adds to types the object types the marshal function name may marshal, following the
// marshal and interface functions it calls.
func (r *rewriter) reach(name string, types, seen map[string]bool) {
	if seen[name] {
		return
	}
	seen[name] = true
	if t, ok := strings.CutPrefix(name, "_"); ok && r.objects[t] != nil {
		types[t] = true
		return
	}
	fn := r.methods[name]
	if fn == nil {
		return
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if ok && isIdent(sel.X, "ec") && (strings.HasPrefix(sel.Sel.Name, "marshal") || strings.HasPrefix(sel.Sel.Name, "_")) {
			r.reach(sel.Sel.Name, types, seen)
		}
		return true
	})
}

// runInPlace makes the object typ run its field in place rather than in a goroutine of its own.
func (r *rewriter) runInPlace(typ, field string) bool {
	fn := r.objects[typ]
	if fn == nil {
		return false
	}
	done := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		cc, ok := n.(*ast.CaseClause)
		if !ok || len(cc.List) != 1 || done {
			return !done
		}
		if lit, ok := cc.List[0].(*ast.BasicLit); !ok || lit.Value != strconv.Quote(field) {
			return false
		}
		for _, s := range cc.Body {
			es, ok := s.(*ast.ExprStmt)
			if !ok {
				continue
			}
			if call, ok := es.X.(*ast.CallExpr); ok && isSelector(call.Fun, "out", "Concurrently") && len(call.Args) == 2 {
				r.replace(es, "out.Values["+r.text(call.Args[0])+"] = innerFunc(ctx, out)")
				done = true
			}
		}
		return false
	})
	return done
}

// listInOrder makes a list's marshal function marshal its elements in order when the selection
// under it cannot wait (see internal/gqlexec).
func (r *rewriter) listInOrder(fn *ast.FuncDecl) bool {
	var call *ast.CallExpr
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && isSelector(c.Fun, "graphql", "MarshalSliceConcurrently") {
			call = c
		}
		return call == nil
	})
	if call == nil || len(call.Args) != 5 {
		return false
	}
	elem, ok := call.Args[4].(*ast.FuncLit)
	if !ok {
		return false
	}
	types := map[string]bool{}
	ast.Inspect(elem.Body, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if ok && isIdent(sel.X, "ec") {
			r.reach(sel.Sel.Name, types, map[string]bool{})
		}
		return true
	})
	if len(types) == 0 {
		return false
	}
	quoted := make([]string, 0, len(types))
	for _, t := range slices.Sorted(maps.Keys(types)) {
		quoted = append(quoted, strconv.Quote(t))
	}
	r.replace(call, fmt.Sprintf("gqlexec.MarshalSlice(%s, %s.Waits(%s, sel, %s), %s)",
		r.text(call.Args[0]), tableName, r.text(call.Args[0]), strings.Join(quoted, ", "),
		string(r.src[r.offset(call.Args[1].Pos()):r.offset(call.Args[4].End())])))
	return true
}

// writeObject makes an object's marshal function hold its fields in a gqlexec.Object, made in one
// allocation where gqlgen made four, and return it: it writes the fields without FieldSet's
// allocations per field.
func (r *rewriter) writeObject(fn *ast.FuncDecl) bool {
	list := fn.Body.List
	last, ok := list[len(list)-1].(*ast.ReturnStmt)
	if !ok || len(last.Results) != 1 || !isIdent(last.Results[0], "out") || mentionsAny(fn.Body, []string{objectVar}) {
		return false
	}
	i := slices.IndexFunc(list, func(s ast.Stmt) bool { return r.text(s) == "out := graphql.NewFieldSet(fields)" })
	if i < 0 || i+1 >= len(list) || r.text(list[i+1]) != "deferredFieldSet := graphql.NewFieldSet(nil)" {
		return false
	}
	r.edits = append(r.edits, edit{r.offset(list[i].Pos()), r.offset(list[i+1].End()),
		objectVar + " := gqlexec.NewObject(fields)\nout, deferredFieldSet := &" + objectVar + ".Out, &" + objectVar + ".Deferred"})
	r.replace(last.Results[0], objectVar)
	return true
}

// marshalResponses makes the executor write each query's and mutation's data with
// gqlexec.Marshal, which keeps its buffer from one response to the next, where gqlgen grew a new
// one from nothing for each (about twice the response's size allocated, per response). It
// returns how many it rewrote.
func (r *rewriter) marshalResponses(fn *ast.FuncDecl) int {
	n := 0
	ast.Inspect(fn.Body, func(node ast.Node) bool {
		b, ok := node.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for i := 0; i+1 < len(b.List); i++ {
			if r.text(b.List[i]) == "var buf bytes.Buffer" && r.text(b.List[i+1]) == "data.MarshalGQL(&buf)" {
				r.edits = append(r.edits, edit{r.offset(b.List[i].Pos()), r.offset(b.List[i+1].End()), "buf := gqlexec.Marshal(data)"})
				n++
			}
		}
		return true
	})
	return n
}

// shareUnmarshalers makes Exec take gqlgen's map of input unmarshalers from one built at the
// first operation, where gqlgen built it for every operation: about a hundred method values
// bound to the operation's executionContext and a map of them, 3% of a small query's CPU, for a
// map read only when a connection's `where` argument is collected. It does so only when no
// unmarshal method uses its executionContext for anything but calling other unmarshal methods,
// so that one bound to a context without an operation or a schema does exactly the same.
func (r *rewriter) shareUnmarshalers(fn *ast.FuncDecl) bool {
	for _, stmt := range fn.Body.List {
		as, ok := stmt.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !isIdent(as.Lhs[0], "inputUnmarshalMap") {
			continue
		}
		call, ok := as.Rhs[0].(*ast.CallExpr)
		if !ok || !isSelector(call.Fun, "graphql", "BuildUnmarshalerMap") {
			return false
		}
		seen := map[string]bool{}
		for _, arg := range call.Args {
			sel, ok := arg.(*ast.SelectorExpr)
			if !ok || !isIdent(sel.X, "ec") || !r.usesOnlyUnmarshalers(sel.Sel.Name, seen) {
				return false
			}
		}
		r.replace(as.Rhs[0], unmarshalersFn+"()")
		r.tail = append(r.tail, "\n// "+unmarshalersFn+" is gqlgen's map of input unmarshalers, built once: they use nothing of an\n"+
			"// operation (checked by internal/gqlexec/rewrite).\n"+
			"var "+unmarshalersFn+" = gqlexec.ShareUnmarshalers(func() gqlexec.Unmarshalers {\n"+
			"ec := newExecutionContext(nil, nil, nil)\nreturn "+r.text(call)+"\n})\n")
		return true
	}
	return false
}

// usesOnlyUnmarshalers reports whether method name, and every method it reaches, is an unmarshal
// method of the file whose receiver ec is used only to call other unmarshal methods.
func (r *rewriter) usesOnlyUnmarshalers(name string, seen map[string]bool) bool {
	if seen[name] {
		return true
	}
	seen[name] = true
	fn := r.methods[name]
	if fn == nil || !strings.HasPrefix(name, "unmarshal") || len(fn.Recv.List) != 1 || len(fn.Recv.List[0].Names) != 1 ||
		fn.Recv.List[0].Names[0].Name != "ec" {
		return false
	}
	ok := true
	calls := map[*ast.Ident]bool{} // the ec of ec.unmarshal… selectors
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, isEC := n.X.(*ast.Ident); isEC && id.Name == "ec" {
				calls[id] = true
				ok = ok && r.usesOnlyUnmarshalers(n.Sel.Name, seen)
			}
		case *ast.Ident:
			if n.Name == "ec" && !calls[n] {
				ok = false // ec passed on, or shadowed: not known to be unused
			}
		}
		return ok
	})
	return ok
}

// objectVar names the gqlexec.Object in a rewritten object function.
const objectVar = "object"

// skipEmptyDeferred wraps an object's hand-over of its deferred group to gqlgen in a check that
// there is one: gqlgen returns at once for an empty group, after its path was built.
func (r *rewriter) skipEmptyDeferred(fn *ast.FuncDecl) bool {
	list := fn.Body.List
	for i := 0; i+1 < len(list); i++ {
		add, ok := list[i].(*ast.ExprStmt)
		if !ok || !strings.Contains(r.text(add), "&ec.Deferred") {
			continue
		}
		process, ok := list[i+1].(*ast.ExprStmt)
		if !ok {
			return false
		}
		call, ok := process.X.(*ast.CallExpr)
		if !ok || !isSelector(call.Fun, "ec", "ProcessDeferredGroup") || len(call.Args) != 1 {
			return false
		}
		group, ok := call.Args[0].(*ast.CompositeLit)
		if !ok {
			return false
		}
		var defers string
		for _, e := range group.Elts {
			if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Defers") {
				defers = r.text(kv.Value)
			}
		}
		if defers == "" {
			return false
		}
		r.edits = append(r.edits,
			edit{r.offset(add.Pos()), r.offset(add.Pos()), "if len(" + defers + ") > 0 {\n"},
			edit{r.offset(process.End()), r.offset(process.End()), "\n}"})
		return true
	}
	return false
}

// directBody returns the new body of fn when fn is gqlgen's function for a field that reads a
// struct field of a scalar type, with no directive at run time, and whose marshalling is known.
func (r *rewriter) directBody(fn *ast.FuncDecl) (string, bool) {
	call := returnedCall(fn.Body)
	if call == nil || !isSelector(call.Fun, "graphql", "ResolveField") || len(call.Args) != 9 {
		return "", false
	}
	// Arguments: ctx, oc, field, field context, resolver, directives, marshal, recover, non-null.
	fcName, ok := calledMethod(call.Args[3])
	if !ok || !isScalarFieldContext(r.methods[fcName]) {
		return "", false
	}
	value, ok := structField(call.Args[4])
	if !ok {
		return "", false
	}
	if !isIdent(call.Args[5], "nil") {
		return "", false // directives run around the field
	}
	marshal, ok := calledMethod(call.Args[6])
	if !ok || r.methods[marshal] == nil {
		return "", false
	}
	direct := fmt.Sprintf("ec.%s(ctx, field.Selections, %%s)", marshal)
	switch guard, ok := nullCheck(r.methods[marshal]); {
	case !ok:
		return "", false
	case guard == "":
		return "{\n\treturn " + fmt.Sprintf(direct, value) + "\n}", true
	default:
		return "{\n\tif v := " + value + "; " + guard + " {\n\t\treturn " + fmt.Sprintf(direct, "v") +
			"\n\t}\n\treturn " + r.text(call) + "\n}", true
	}
}

// nullCheck tells how marshal (one of gqlgen's marshal functions of a scalar or enum) may be
// called without the field's context: ok with no guard when it cannot report an error, ok with a
// guard on v when it reports one only for a value the guard excludes, not ok otherwise.
func nullCheck(marshal *ast.FuncDecl) (guard string, ok bool) {
	if !mentionsAny(marshal.Body, errorCalls) {
		return "", true // a nullable field's marshalling, or an enum's `return v`
	}
	if !strings.HasPrefix(marshal.Name.Name, "marshalN") {
		return "", false
	}
	// gqlgen's non-null scalar form: [_ = sel;] res := graphql.MarshalX(v); if res == graphql.Null
	// { report it }; return res. Anything else keeps the full path.
	var scalar string
	for _, s := range marshal.Body.List {
		switch s := s.(type) {
		case *ast.AssignStmt:
			if len(s.Lhs) != 1 || len(s.Rhs) != 1 {
				return "", false
			}
			if isIdent(s.Lhs[0], "_") {
				continue
			}
			c, ok := s.Rhs[0].(*ast.CallExpr)
			if !ok || len(c.Args) != 1 || !isIdent(c.Args[0], "v") || !isIdent(s.Lhs[0], "res") {
				return "", false
			}
			sel, ok := c.Fun.(*ast.SelectorExpr)
			if !ok || !isIdent(sel.X, "graphql") {
				return "", false
			}
			scalar = sel.Sel.Name
		case *ast.IfStmt:
			b, ok := s.Cond.(*ast.BinaryExpr)
			if !ok || b.Op != token.EQL || !isIdent(b.X, "res") || !isSelector(b.Y, "graphql", "Null") || s.Init != nil || s.Else != nil {
				return "", false
			}
		case *ast.ReturnStmt:
			if len(s.Results) != 1 || !isIdent(s.Results[0], "res") {
				return "", false
			}
		default:
			return "", false
		}
	}
	switch {
	case neverNull[scalar]:
		return "", true
	case nullWhenZero[scalar]:
		return "!v.IsZero()", true
	}
	return "", false
}

// isScalarFieldContext reports whether fn builds the context of a field with no child fields.
func isScalarFieldContext(fn *ast.FuncDecl) bool {
	if fn == nil {
		return false
	}
	call := returnedCall(fn.Body)
	return call != nil && isSelector(call.Fun, "graphql", "NewScalarFieldContext")
}

// structField returns "obj.Field" when the resolver literal is gqlgen's `return obj.Field, nil`.
func structField(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.FuncLit)
	if !ok {
		return "", false
	}
	ret := onlyReturn(lit.Body)
	if ret == nil || len(ret.Results) != 2 || !isIdent(ret.Results[1], "nil") {
		return "", false
	}
	sel, ok := ret.Results[0].(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "obj") {
		return "", false
	}
	return "obj." + sel.Sel.Name, true
}

// calledMethod returns m when the literal e is `func(...) ... { return ec.m(...) }`.
func calledMethod(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.FuncLit)
	if !ok {
		return "", false
	}
	call := returnedCall(lit.Body)
	if call == nil {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, "ec") {
		return "", false
	}
	return sel.Sel.Name, true
}

// tableSource is the Go source of the executor's types table.
func tableSource(table map[string]map[string]fieldInfo) string {
	var b strings.Builder
	b.WriteString("\n// " + tableName + " tells gqlexec.MarshalSlice which selections may wait (written by internal/gqlexec/rewrite).\n")
	b.WriteString("var " + tableName + " = gqlexec.Types{\n")
	for _, t := range slices.Sorted(maps.Keys(table)) {
		fmt.Fprintf(&b, "%q: {", t)
		fields := table[t]
		for _, f := range slices.Sorted(maps.Keys(fields)) {
			info := fields[f]
			var parts []string
			if info.waits {
				parts = append(parts, "Waits: true")
			}
			if len(info.of) > 0 {
				quoted := make([]string, len(info.of))
				for i, o := range info.of {
					quoted[i] = strconv.Quote(o)
				}
				parts = append(parts, "Of: []string{"+strings.Join(quoted, ", ")+"}")
			}
			fmt.Fprintf(&b, "%q: {%s}, ", f, strings.Join(parts, ", "))
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// returnedCall returns the call when b is `{ return call(...) }`.
func returnedCall(b *ast.BlockStmt) *ast.CallExpr {
	ret := onlyReturn(b)
	if ret == nil || len(ret.Results) != 1 {
		return nil
	}
	call, _ := ret.Results[0].(*ast.CallExpr)
	return call
}

func onlyReturn(b *ast.BlockStmt) *ast.ReturnStmt {
	if b == nil || len(b.List) != 1 {
		return nil
	}
	ret, _ := b.List[0].(*ast.ReturnStmt)
	return ret
}

func mentionsAny(n ast.Node, names []string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && slices.Contains(names, id.Name) {
			found = true
		}
		return !found
	})
	return found
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func isSelector(e ast.Expr, x, sel string) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && isIdent(s.X, x) && s.Sel.Name == sel
}
