package server

import (
	"os"
	"runtime/debug"
)

// DefaultGCPercent is the garbage collector's target that TuneGC sets.
const DefaultGCPercent = 200

// TuneGC sets the garbage collector's target to DefaultGCPercent, unless GOGC is set. steward's
// live heap is small (tens of megabytes) while every request allocates, so at Go's default of
// 100 the collector runs many times a second and its assists land on requests: at 200 it runs
// half as often for a heap that may grow to three times the live one, and recordUsage gains a
// third in throughput with a lower p99 (measured with steward-bench usage). Processes that serve
// steward call it once at start.
func TuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(DefaultGCPercent)
	}
}
