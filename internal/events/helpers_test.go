package events

import (
	"runtime"
	"strconv"
	"testing"
	"time"
)

// waitTimeout bounds every wait for something asynchronous, so that a bug
// fails the test instead of hanging it.
const waitTimeout = 10 * time.Second

// recv returns the next event on ch, failing the test when none arrives in
// time or ch is closed.
func recv(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatalf("channel closed, want an event")
		}
		return e
	case <-time.After(waitTimeout):
		t.Fatalf("no event within %s", waitTimeout)
		return Event{}
	}
}

// buffered returns the events already waiting on ch without blocking. It
// fails the test when ch is closed.
func buffered(t *testing.T, ch <-chan Event) []Event {
	t.Helper()
	var got []Event
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("channel closed, want it open")
			}
			got = append(got, e)
		default:
			return got
		}
	}
}

// waitClosed drains ch until it is closed and returns how many events it
// still held, failing the test when it is not closed in time.
func waitClosed(t *testing.T, ch <-chan Event) int {
	t.Helper()
	timeout := time.After(waitTimeout)
	n := 0
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return n
			}
			n++
		case <-timeout:
			t.Fatalf("channel not closed within %s", waitTimeout)
		}
	}
}

// checkGoroutines fails the test when the number of goroutines does not
// settle back to at most before, printing every goroutine's stack.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: got %d, want <= %d; stacks:\n%s", n, before, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// payloads returns the payloads of events as strings, and "dropped:N" for
// drop notices, for compact got/want comparisons.
func payloads(events []Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		if e.Dropped > 0 {
			out[i] = "dropped:" + strconv.Itoa(e.Dropped)
			continue
		}
		out[i] = string(e.Payload)
	}
	return out
}
