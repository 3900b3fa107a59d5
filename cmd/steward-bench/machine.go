package main

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machineTicks is the machine-wide CPU time from /proc/stat's "cpu" line, in clock ticks.
type machineTicks struct {
	busy, steal, all uint64
	ok               bool
}

// machineShare says what the whole machine did during a measured part, so that a figure taken on
// a shared machine (a virtual machine's neighbours, another build) can be told from one that
// steward made: percentages of the machine's CPU time.
type machineShare struct {
	CPUs    int     `json:"cpus"`
	BusyPct float64 `json:"busyPct"`
	// OthersPct is the part of the machine used outside this process: busy time less this
	// process's own CPU time (steward's own when it runs as a process of its own).
	OthersPct float64 `json:"othersPct"`
	// StealPct is the time the hypervisor gave the machine's CPUs to other guests.
	StealPct float64 `json:"stealPct"`
}

// clockTicks is USER_HZ, the unit of /proc/stat: 100 on every Linux architecture Go supports.
const clockTicks = 100

// readMachine reads /proc/stat; on a system without it the result is marked not ok.
func readMachine() machineTicks {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return machineTicks{}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return machineTicks{}
	}
	fields := strings.Fields(sc.Text()) // cpu user nice system idle iowait irq softirq steal ...
	if len(fields) < 9 || fields[0] != "cpu" {
		return machineTicks{}
	}
	var v [8]uint64
	for i := range v {
		if v[i], err = strconv.ParseUint(fields[i+1], 10, 64); err != nil {
			return machineTicks{}
		}
	}
	user, nice, system, idle, iowait, irq, softirq, steal := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	busy := user + nice + system + irq + softirq
	return machineTicks{busy: busy, steal: steal, all: busy + idle + iowait + steal, ok: true}
}

// shareUntil is the machine's use between m and later, given this process's CPU time meanwhile;
// nil when either reading failed.
func (m machineTicks) shareUntil(later machineTicks, ownCPU time.Duration) *machineShare {
	if !m.ok || !later.ok || later.all <= m.all {
		return nil
	}
	all := float64(later.all - m.all)
	pct := func(ticks float64) float64 { return 100 * ticks / all }
	own := ownCPU.Seconds() * clockTicks
	busy := float64(later.busy - m.busy)
	return &machineShare{
		CPUs:      runtime.NumCPU(),
		BusyPct:   pct(busy),
		OthersPct: max(0, pct(busy-own)),
		StealPct:  pct(float64(later.steal - m.steal)),
	}
}
