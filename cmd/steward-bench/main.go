// Command steward-bench measures steward under load. Each scenario lives in its own file and
// registers itself; all share the target (an in-process server or a running one) and the load
// loop (N concurrent clients for a bounded time, reporting requests/s and latency percentiles).
//
//	steward-bench users --users 10000 --clients 32 --duration 10s
//	steward-bench users --url http://127.0.0.1:8080 --db steward.db --email admin@x.org --password ...
//	steward-bench list
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Scenario is one benchmark. Run parses its own flags from args.
type Scenario struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, args []string) error
}

var scenarios = map[string]Scenario{}

// register adds a scenario; each scenario file calls it from init.
func register(s Scenario) {
	if _, dup := scenarios[s.Name]; dup {
		panic("steward-bench: scenario registered twice: " + s.Name)
	}
	scenarios[s.Name] = s
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "steward-bench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || args[0] == "list" || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		return nil
	}
	s, ok := scenarios[args[0]]
	if !ok {
		usage()
		return fmt.Errorf("unknown scenario %q", args[0])
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := s.Run(ctx, args[1:])
	if err == flag.ErrHelp {
		return nil
	}
	return err
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: steward-bench <scenario> [flags]   (steward-bench <scenario> -h for its flags)")
	names := make([]string, 0, len(scenarios))
	for n := range scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-14s %s\n", n, scenarios[n].Summary)
	}
}
