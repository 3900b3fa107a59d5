package main

import (
	"testing"
	"time"
)

func TestMachineShare(t *testing.T) {
	before := machineTicks{busy: 1000, steal: 10, all: 5000, ok: true}
	// 400 ticks in all: 200 busy, of which this process 1.5 s (150 ticks), and 20 stolen.
	after := machineTicks{busy: 1200, steal: 30, all: 5400, ok: true}
	got := before.shareUntil(after, 1500*time.Millisecond)
	if got == nil || got.BusyPct != 50 || got.OthersPct != 12.5 || got.StealPct != 5 {
		t.Fatalf("share = %+v, want busy 50%%, others 12.5%%, steal 5%%", got)
	}
	if before.shareUntil(machineTicks{}, time.Second) != nil {
		t.Error("a failed reading gave a share")
	}
}
