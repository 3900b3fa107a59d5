package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
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
	// measuring, when set, is called when the warm-up ends and the measured part begins, for
	// scenarios that collect figures of their own.
	measuring func()
}

// register adds the load flags to fs, with clients concurrent clients by default.
func (l *loadFlags) register(fs *flag.FlagSet, clients int) {
	fs.IntVar(&l.clients, "clients", clients, "concurrent clients")
	fs.DurationVar(&l.duration, "duration", 10*time.Second, "measured duration")
	fs.DurationVar(&l.warmup, "warmup", 2*time.Second, "unmeasured warm-up")
	fs.BoolVar(&l.json, "json", false, "print the result as JSON")
	fs.StringVar(&l.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured part to this file")
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
}

// hammer runs call from l.clients goroutines, first for the warm-up (not measured), then for
// l.duration, and reports throughput and latency percentiles of the measured part.
func hammer(ctx context.Context, name string, l loadFlags, call func(ctx context.Context) error) result {
	if l.warmup > 0 {
		runFor(ctx, l.clients, l.warmup, call)
	}
	if l.measuring != nil {
		l.measuring()
	}
	if l.cpuProfile != "" {
		f, err := os.Create(l.cpuProfile)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer func() { pprof.StopCPUProfile(); _ = f.Close() }()
		}
	}
	cpu0 := processCPU()
	lat, errs, firstErr, elapsed := runFor(ctx, l.clients, l.duration, call)
	cpu := processCPU() - cpu0
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	r := result{Scenario: name, Clients: l.clients, Duration: elapsed, Seconds: elapsed.Seconds(),
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
}

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
