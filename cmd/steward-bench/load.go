package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sort"
	"sync"
	"syscall"
	"time"
)

// loadFlags are the shape of the load every scenario applies.
type loadFlags struct {
	clients  int
	duration time.Duration
	warmup   time.Duration
	json     bool
	// cpuProfile, when set, records a CPU profile of the measured part (of the whole process:
	// with an in-process server that is server and clients together).
	cpuProfile string
	// blockProfile and execTrace, when set, record the measured part's blocking profile (every
	// blocking event: where goroutines waited on channels, mutexes and selects) and its execution
	// trace (go tool trace), to find what a slow call waited for.
	blockProfile, execTrace string
	// allocProfile, when set, records where the measured part allocated (go tool pprof
	// -sample_index=alloc_space): what makes the garbage collections that stall every goroutine.
	allocProfile string
	// measuring, when set, is called when the warm-up ends and the measured part begins, for
	// scenarios that collect figures of their own.
	measuring func()
	// finishCalls runs the warm-up and the measured part as one load without a pause, measures
	// the calls started in the measured part, and lets every call end by itself rather than
	// cancelling it at a deadline. For long calls (streams): a call cancelled mid-answer closes
	// its connections, so a measured part that starts after cancelled calls starts every client
	// at the same instant on new connections, a burst that no steady load has.
	finishCalls bool
	// stagger spreads the clients' first calls evenly over this time (with finishCalls), so that
	// calls of equal length do not start and run in step: 200 streams started at one instant
	// start every following call together too, and emit every chunk together, bursts that
	// neither a steady load nor the clients of a real deployment make.
	stagger time.Duration
}

// register adds the load flags to fs, with clients concurrent clients by default.
func (l *loadFlags) register(fs *flag.FlagSet, clients int) {
	fs.IntVar(&l.clients, "clients", clients, "concurrent clients")
	fs.DurationVar(&l.duration, "duration", 10*time.Second, "measured duration")
	fs.DurationVar(&l.warmup, "warmup", 2*time.Second, "unmeasured warm-up")
	fs.BoolVar(&l.json, "json", false, "print the result as JSON")
	fs.StringVar(&l.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured part to this file")
	fs.StringVar(&l.blockProfile, "blockprofile", "", "write a blocking profile of the measured part to this file")
	fs.StringVar(&l.allocProfile, "allocprofile", "", "write a profile of what the measured part allocated to this file")
	fs.StringVar(&l.execTrace, "trace", "", "write an execution trace of the measured part to this file (go tool trace)")
}

// result summarises a load run.
type result struct {
	Scenario  string        `json:"scenario"`
	Clients   int           `json:"clients"`
	Duration  time.Duration `json:"-"`
	Seconds   float64       `json:"seconds"`
	Requests  int           `json:"requests"`
	Errors    int           `json:"errors"`
	PerSecond float64       `json:"requestsPerSecond"`
	P50       time.Duration `json:"-"`
	P99       time.Duration `json:"-"`
	Max       time.Duration `json:"-"`
	P50ms     float64       `json:"p50ms"`
	P99ms     float64       `json:"p99ms"`
	MaxMs     float64       `json:"maxMs"`
	FirstErr  string        `json:"firstError,omitempty"`
	// CPUPerRequestMs is this process's CPU time (user+system) per request: a figure that other
	// load on a shared machine disturbs far less than requests/s. With an in-process server it
	// includes the clients' share.
	CPUPerRequestMs float64 `json:"cpuPerRequestMs"`
	// Machine is what else the machine did during the measured part (Linux only).
	Machine *machineShare `json:"machine,omitempty"`
}

// hammer runs call from l.clients goroutines, first for the warm-up (not measured), then for
// l.duration, and reports throughput and latency percentiles of the measured part.
func hammer(ctx context.Context, name string, l loadFlags, call func(ctx context.Context) error) result {
	if l.finishCalls {
		return hammerSteady(ctx, name, l, call)
	}
	if l.warmup > 0 {
		runFor(ctx, l.clients, l.warmup, call)
	}
	if l.measuring != nil {
		l.measuring()
	}
	defer startProfiles(l)()
	cpu0, m0 := processCPU(), readMachine()
	lat, errs, firstErr, elapsed := runFor(ctx, l.clients, l.duration, call)
	cpu := processCPU() - cpu0
	r := summarize(name, l.clients, lat, errs, firstErr, elapsed, cpu)
	r.Machine = m0.shareUntil(readMachine(), cpu)
	return r
}

// hammerSteady is hammer with loadFlags.finishCalls: the clients call without a break from the
// warm-up into the measured part, the calls started in the measured part are measured, and the
// last ones are waited for rather than cut off.
func hammerSteady(ctx context.Context, name string, l loadFlags, call func(ctx context.Context) error) result {
	var (
		mu        sync.Mutex
		lat       []time.Duration
		errs      int
		firstErr  error
		wg        sync.WaitGroup
		cpu0      time.Duration
		m0        machineTicks
		stopStart func()
	)
	start := time.Now()
	from, until := start.Add(l.warmup), start.Add(l.warmup+l.duration)
	measured := make(chan struct{})
	measure := time.AfterFunc(l.warmup, func() {
		defer close(measured)
		if l.measuring != nil {
			l.measuring()
		}
		stopStart = startProfiles(l)
		cpu0, m0 = processCPU(), readMachine()
	})
	for i := 0; i < l.clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if l.stagger > 0 {
				select {
				case <-time.After(l.stagger * time.Duration(i) / time.Duration(l.clients)):
				case <-ctx.Done():
				}
			}
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				err := call(ctx)
				if t0.Before(from) || ctx.Err() != nil {
					continue
				}
				mu.Lock()
				if err != nil {
					errs++
					if firstErr == nil {
						firstErr = err
					}
				} else {
					lat = append(lat, time.Since(t0))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if measure.Stop() {
		close(measured) // cancelled before the warm-up ended
	}
	<-measured
	cpu, m1 := processCPU()-cpu0, readMachine()
	if stopStart != nil {
		stopStart()
	}
	// Calls start for l.duration; the last ones run on past it, so the rate is over that time.
	r := summarize(name, l.clients, lat, errs, firstErr, until.Sub(from), cpu)
	r.Machine = m0.shareUntil(m1, cpu)
	return r
}

// startProfiles starts the profiles and traces l asks for and returns the function that writes
// them.
func startProfiles(l loadFlags) (stop func()) {
	var stops []func()
	if l.cpuProfile != "" {
		f, err := os.Create(l.cpuProfile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			stops = append(stops, func() { pprof.StopCPUProfile(); _ = f.Close() })
		}
	}
	if l.blockProfile != "" {
		runtime.SetBlockProfileRate(1)
		stops = append(stops, func() {
			runtime.SetBlockProfileRate(0)
			if f, err := os.Create(l.blockProfile); err == nil {
				_ = pprof.Lookup("block").WriteTo(f, 0)
				_ = f.Close()
			}
		})
	}
	if l.allocProfile != "" {
		// The profile counts from the process's start: the counts at the start of the measured
		// part go next to it, for pprof -base to subtract.
		runtime.GC() // the profile shows allocations as of the last collection
		if base, err := os.Create(l.allocProfile + ".base"); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(base, 0)
			_ = base.Close()
			stops = append(stops, func() {
				runtime.GC()
				if f, err := os.Create(l.allocProfile); err == nil {
					_ = pprof.Lookup("allocs").WriteTo(f, 0)
					_ = f.Close()
				}
				fmt.Fprintf(os.Stderr, "allocations: go tool pprof -sample_index=alloc_space -base %s.base %s\n", l.allocProfile, l.allocProfile)
			})
		}
	}
	if l.execTrace != "" {
		f, err := os.Create(l.execTrace)
		if err == nil && trace.Start(f) == nil {
			stops = append(stops, func() { trace.Stop(); _ = f.Close() })
		}
	}
	return func() {
		for _, s := range stops {
			s()
		}
	}
}

// summarize turns measured latencies into a result.
func summarize(name string, clients int, lat []time.Duration, errs int, firstErr error, elapsed, cpu time.Duration) result {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := result{Scenario: name, Clients: clients, Duration: elapsed, Seconds: elapsed.Seconds(),
		Requests: len(lat) + errs, Errors: errs}
	if firstErr != nil {
		r.FirstErr = firstErr.Error()
	}
	if n := len(lat) + errs; n > 0 {
		r.CPUPerRequestMs = ms(cpu / time.Duration(n))
	}
	if elapsed > 0 {
		r.PerSecond = float64(len(lat)) / elapsed.Seconds()
	}
	if len(lat) > 0 {
		r.P50, r.P99, r.Max = percentile(lat, 0.50), percentile(lat, 0.99), lat[len(lat)-1]
		r.P50ms, r.P99ms, r.MaxMs = ms(r.P50), ms(r.P99), ms(r.Max)
	}
	return r
}

func runFor(ctx context.Context, clients int, d time.Duration, call func(ctx context.Context) error) ([]time.Duration, int, error, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu       sync.Mutex
		all      []time.Duration
		errs     int
		firstErr error
		wg       sync.WaitGroup
	)
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 4096)
			localErrs := 0
			var localFirst error
			for ctx.Err() == nil {
				t0 := time.Now()
				err := call(ctx)
				if ctx.Err() != nil {
					break // cut off by the deadline: not a server error
				}
				if err != nil {
					localErrs++
					if localFirst == nil {
						localFirst = err
					}
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			all = append(all, local...)
			errs += localErrs
			if firstErr == nil {
				firstErr = localFirst
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, errs, firstErr, time.Since(start)
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// report prints r as one human line, or as JSON.
func (r result) report(w io.Writer, asJSON bool) {
	if asJSON {
		_ = json.NewEncoder(w).Encode(r)
		return
	}
	fmt.Fprintf(w, "%s: %d clients, %.1fs: %d requests, %d errors, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, CPU %.2f ms/request\n",
		r.Scenario, r.Clients, r.Seconds, r.Requests, r.Errors, r.PerSecond, r.P50ms, r.P99ms, r.MaxMs, r.CPUPerRequestMs)
	if r.FirstErr != "" {
		fmt.Fprintf(w, "  first error: %s\n", r.FirstErr)
	}
	if m := r.Machine; m != nil {
		fmt.Fprintf(w, "  the machine meanwhile: %.0f%% of its %d CPUs busy, %.0f%% outside this process, %.1f%% stolen by the hypervisor\n",
			m.BusyPct, m.CPUs, m.OthersPct, m.StealPct)
	}
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
