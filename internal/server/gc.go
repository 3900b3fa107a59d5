package server

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// DefaultGCPercent is the garbage collector's target that TuneGC sets.
const DefaultGCPercent = 200

// DefaultHeapFloor is the smallest heap goal TuneGC lets the collector aim for.
const DefaultHeapFloor = 64 << 20

// TuneGC sets the garbage collector's target to DefaultGCPercent, unless GOGC is set, and keeps
// its heap goal at DefaultHeapFloor or above. steward's live heap is small (about 10 MB) while
// every request allocates: at Go's default of 100 the collector runs many times a second and its
// assists land on requests. At 200 it runs half as often, but a goal of three times a 10 MB live
// heap is still a collection every 20 MB allocated, twenty a second at 8,000 checkQuota requests
// a second; with the goal kept at 64 MB, checkQuota at 16 clients gains a third in throughput and
// recordUsage a tenth (steward-bench quota and usage). A large live heap is left at 200. GOMEMLIMIT,
// when set, still bounds the heap. Processes that serve steward call it once at start.
func TuneGC() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	tuneOnce.Do(func() {
		debug.SetGCPercent(DefaultGCPercent)
		afterEveryGC(func() { keepHeapGoalAbove(DefaultHeapFloor) })
	})
}

var tuneOnce sync.Once

// liveHeap is the runtime metric of the heap the last collection found live.
const liveHeap = "/gc/heap/live:bytes"

// keepHeapGoalAbove sets the collector's target so that its next goal (live heap times one plus
// the target) is at least floor, and never below DefaultGCPercent.
func keepHeapGoalAbove(floor uint64) {
	s := []metrics.Sample{{Name: liveHeap}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	debug.SetGCPercent(gcPercentFor(s[0].Value.Uint64(), floor))
}

// gcPercentFor is the target that makes the goal of a live heap of live bytes floor, and at least
// DefaultGCPercent.
func gcPercentFor(live, floor uint64) int {
	if live == 0 || live >= floor {
		return DefaultGCPercent
	}
	return max(DefaultGCPercent, int(floor*100/live)-100)
}

// gcTick is finalized once per collection; it holds a pointer so that it is not a tiny
// allocation, whose finalizers may never run.
type gcTick struct{ _ *int }

// afterEveryGC calls fn on the finalizer goroutine after every collection, for the life of the
// process: the tick is found unreachable at each collection, and its finalizer re-arms it.
func afterEveryGC(fn func()) {
	var rearm func(*gcTick)
	rearm = func(t *gcTick) {
		fn()
		runtime.SetFinalizer(t, rearm)
	}
	runtime.SetFinalizer(&gcTick{}, rearm)
}
