package auth

import "testing"

// TestReleaserOncePerBurst: the memory of a burst of hashes is handed back once, after the
// burst, and a later hash schedules a release of its own.
func TestReleaserOncePerBurst(t *testing.T) {
	var scheduled []func()
	released := 0
	r := &releaser{schedule: func(f func()) { scheduled = append(scheduled, f) }, release: func() { released++ }}
	for range 3 {
		r.soon()
	}
	if len(scheduled) != 1 || released != 0 {
		t.Fatalf("after a burst of 3: scheduled %d, released %d; want 1, 0", len(scheduled), released)
	}
	scheduled[0]()
	if released != 1 {
		t.Fatalf("released %d times, want 1", released)
	}
	r.soon()
	if len(scheduled) != 2 {
		t.Fatalf("a hash after the release scheduled %d in all, want 2", len(scheduled))
	}
}
