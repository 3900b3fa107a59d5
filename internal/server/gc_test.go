package server

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestGCPercentFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{10 * mb, 540},              // goal 10 * 6.4 = 64 MB
		{16 * mb, 300},              // goal 64 MB
		{30 * mb, DefaultGCPercent}, // 64 MB would be below three times the live heap
		{200 * mb, DefaultGCPercent},
		{0, DefaultGCPercent}, // no collection yet
	} {
		if got := gcPercentFor(c.live, 64*mb); got != c.want {
			t.Errorf("live %d MB: %d, want %d", c.live/mb, got, c.want)
		}
	}
}

func TestAfterEveryGCRunsOnEachCollection(t *testing.T) {
	var n atomic.Int64
	afterEveryGC(func() { n.Add(1) })
	for want := int64(1); want <= 3; want++ {
		deadline := time.Now().Add(5 * time.Second)
		for n.Load() < want {
			if time.Now().After(deadline) {
				t.Fatalf("%d calls after %d collections", n.Load(), want)
			}
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
	}
}
