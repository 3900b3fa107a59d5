package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/google/uuid"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/user"
	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/server"
	"github.com/steward-dev/steward/internal/users"
)

const adminUsage = `usage: steward admin <command> [flags]

Account chores for an operator at the server's console, on the configured database (--db or
DATABASE_URL). Each change is audited with the actor "console".

  create-admin   --email E --name N [--password-stdin]   add an admin account
  reset-password --email E [--password-stdin]            set a new password, sign out everywhere
  unlock         --email E                               clear the account's sign-in locks
  promote        --email E                               make the account an admin
  list-admins                                            list the admin accounts

Without --password-stdin a random password is generated and printed once.`

// console is what the admin commands need: the account services of a built (not serving) App.
type console struct {
	app    *server.App
	stdin  io.Reader
	stdout io.Writer
}

// runAdmin runs `steward admin <command>`. It builds the application as serve does (migrating,
// and refusing a database a newer release migrated), then acts as authz.Console.
func runAdmin(ctx context.Context, cfg config.Config, logger *slog.Logger, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stdout, adminUsage)
		return nil
	}
	name, args := args[0], args[1:]
	fs := flag.NewFlagSet("steward admin "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "the account's email")
	displayName := fs.String("name", "", "the account's name (create-admin)")
	passwordStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	dbURL := fs.String("db", "", "SQLite file or postgres:// URL (default: DATABASE_URL or steward.db)")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\n\n%s", err, adminUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n\n%s", fs.Arg(0), adminUsage)
	}
	if *dbURL != "" {
		cfg.DatabaseURL = *dbURL
	}
	run, ok := map[string]func(context.Context, *console, adminArgs) error{
		"create-admin":   createAdmin,
		"reset-password": resetPassword,
		"unlock":         unlock,
		"promote":        promote,
		"list-admins":    listAdmins,
	}[name]
	if !ok {
		return fmt.Errorf("unknown admin command %q\n\n%s", name, adminUsage)
	}
	app, err := server.New(ctx, cfg, server.Options{Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close()
	ctx = authz.As(auth.WithRequest(ctx, auth.Request{UserAgent: "steward admin " + name, ID: uuid.NewString(), Principal: "console"}), authz.Console)
	return run(ctx, &console{app: app, stdin: stdin, stdout: stdout}, adminArgs{email: *email, name: *displayName, passwordStdin: *passwordStdin})
}

type adminArgs struct {
	email, name   string
	passwordStdin bool
}

func createAdmin(ctx context.Context, c *console, a adminArgs) error {
	if a.email == "" || a.name == "" {
		return errors.New("create-admin needs --email and --name")
	}
	password, generated, err := c.password(a)
	if err != nil {
		return err
	}
	role := string(user.RoleADMIN)
	u, err := c.app.UserAdmin.Create(ctx, users.CreateInput{Name: a.name, Email: a.email, Password: password, Role: &role})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "created admin %s (%s)\n", u.Email, u.ID)
	c.printGenerated(password, generated)
	return nil
}

func resetPassword(ctx context.Context, c *console, a adminArgs) error {
	u, err := c.account(ctx, a.email)
	if err != nil {
		return err
	}
	password, generated, err := c.password(a)
	if err != nil {
		return err
	}
	if _, err := c.app.UserAdmin.Update(ctx, u.ID, users.UpdateInput{Password: &password}); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "new password set for %s; every session of the account is signed out\n", u.Email)
	c.printGenerated(password, generated)
	return nil
}

func unlock(ctx context.Context, c *console, a adminArgs) error {
	u, err := c.account(ctx, a.email)
	if err != nil {
		return err
	}
	if _, err := c.app.Accounts.Unlock(ctx, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "unlocked %s\n", u.Email)
	return nil
}

func promote(ctx context.Context, c *console, a adminArgs) error {
	u, err := c.account(ctx, a.email)
	if err != nil {
		return err
	}
	if u.Role == user.RoleADMIN {
		fmt.Fprintf(c.stdout, "%s is already an admin\n", u.Email)
		return nil
	}
	role := string(user.RoleADMIN)
	if _, err := c.app.UserAdmin.Update(ctx, u.ID, users.UpdateInput{Role: &role}); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s is now an admin\n", u.Email)
	return nil
}

func listAdmins(ctx context.Context, c *console, _ adminArgs) error {
	first := 1000
	page, err := c.app.UserAdmin.List(ctx, users.ListInput{First: &first,
		Where: &ent.UserWhereInput{Role: ptr(user.RoleADMIN)}})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "EMAIL\tNAME\tID\tCREATED")
	for _, e := range page.Edges {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", e.Node.Email, e.Node.Name, e.Node.ID, e.Node.CreatedAt.UTC().Format("2006-01-02 15:04"))
	}
	return w.Flush()
}

// account finds the account with email, as sign-in normalises it, through the same listing the
// admin API uses (ManageUsers, which the console holds).
func (c *console) account(ctx context.Context, email string) (*ent.User, error) {
	if email == "" {
		return nil, errors.New("--email is required")
	}
	normal, err := users.NormalizeEmail("email", email)
	if err != nil {
		return nil, err
	}
	one := 1
	page, err := c.app.UserAdmin.List(ctx, users.ListInput{First: &one, Where: &ent.UserWhereInput{Email: &normal}})
	if err != nil {
		return nil, err
	}
	if len(page.Edges) == 0 {
		return nil, fmt.Errorf("no account has the email %s", normal)
	}
	return page.Edges[0].Node, nil
}

// password reads the first line of standard input, or generates a password when not asked to.
func (c *console) password(a adminArgs) (password string, generated bool, err error) {
	if !a.passwordStdin {
		b := make([]byte, 18)
		if _, err := rand.Read(b); err != nil {
			return "", false, err
		}
		return base64.RawURLEncoding.EncodeToString(b), true, nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("reading the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", false, errors.New("--password-stdin: standard input held no password")
	}
	return line, false, nil
}

func (c *console) printGenerated(password string, generated bool) {
	if generated {
		fmt.Fprintf(c.stdout, "password: %s\n(shown once: keep it somewhere safe, or change it after signing in)\n", password)
	}
}

func ptr[T any](v T) *T { return &v }
