package inputs

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/internal/errs"
)

// Extension is the gqlgen handler extension that checks every argument of an operation before
// it executes (srv.Use(&inputs.Extension{})).
type Extension struct {
	checker *Checker
}

var (
	_ graphql.HandlerExtension        = (*Extension)(nil)
	_ graphql.OperationContextMutator = (*Extension)(nil)
)

// ExtensionName names the extension for gqlgen.
func (*Extension) ExtensionName() string { return "InputChecks" }

// Validate keeps the schema the operations are checked against.
func (e *Extension) Validate(schema graphql.ExecutableSchema) error {
	e.checker = NewChecker(schema.Schema())
	return nil
}

// MutateOperationContext checks the arguments of every field of the operation and of every
// fragment of its document (each once: spreads are not expanded, so the cost stays linear in the
// document), with the operation's variables. The first bad value refuses the whole operation
// with BAD_USER_INPUT naming its field.
func (e *Extension) MutateOperationContext(_ context.Context, rc *graphql.OperationContext) *gqlerror.Error {
	if e.checker == nil || rc.Operation == nil {
		return nil
	}
	err := e.checker.Operation(rc.Operation, rc.Doc, rc.Variables)
	if err == nil {
		return nil
	}
	return &gqlerror.Error{Message: err.Error(), Err: err}
}

// Operation checks every argument of op and of the fragments of doc with vars.
func (c *Checker) Operation(op *ast.OperationDefinition, doc *ast.QueryDocument, vars map[string]any) error {
	if err := c.selections(op.SelectionSet, vars); err != nil {
		return err
	}
	if doc != nil {
		for _, f := range doc.Fragments {
			if err := c.selections(f.SelectionSet, vars); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Checker) selections(set ast.SelectionSet, vars map[string]any) error {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			for _, arg := range s.Arguments {
				if err := c.argument(s, arg, vars); err != nil {
					return err
				}
			}
			if err := c.selections(s.SelectionSet, vars); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := c.selections(s.SelectionSet, vars); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Checker) argument(f *ast.Field, arg *ast.Argument, vars map[string]any) error {
	var typ *ast.Type
	if f.Definition != nil {
		if d := f.Definition.Arguments.ForName(arg.Name); d != nil {
			typ = d.Type
		}
	}
	if typ == nil || arg.Value == nil {
		return nil
	}
	v, err := arg.Value.Value(vars)
	if err != nil {
		return errs.Invalid(arg.Name, "is not a valid value")
	}
	return c.Value("", arg.Name, typ, v)
}
