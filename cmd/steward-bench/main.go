// Command steward-bench runs load scenarios against steward over HTTP and reports throughput and
// latency percentiles.
//
//	steward-bench usage [flags]   recordUsage at N concurrent clients (see usage.go)
//
// Each scenario lives in its own file; main only dispatches.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: steward-bench <scenario> [flags]; scenarios: usage")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "usage":
		err = runUsage(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown scenario %q (use usage)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "steward-bench:", err)
		os.Exit(1)
	}
}
