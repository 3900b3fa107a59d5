package db

// QueueLen is how many callers wait in b's queue, for tests that line callers up.
func QueueLen(b *Batcher) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}

// Retryable exposes retryable to the tests.
var Retryable = retryable
