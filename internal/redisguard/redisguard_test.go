package redisguard

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// timeoutErr is what a command against a hung Redis returns.
var timeoutErr = &os.SyscallError{Syscall: "read", Err: os.ErrDeadlineExceeded}

func TestBreakerOpensAfterConsecutiveFailures(t *testing.T) {
	tests := []struct {
		name string
		// results are what Redis answers to successive commands.
		results []error
		// wantCalls is how many of them reach Redis.
		wantCalls int
		wantState string
	}{
		{name: "healthy", results: []error{nil, nil, nil, nil}, wantCalls: 4, wantState: "closed"},
		{name: "missing keys are answers", results: []error{redis.Nil, redis.Nil, redis.Nil, redis.Nil}, wantCalls: 4, wantState: "closed"},
		{name: "error replies are answers", results: []error{errReply{}, errReply{}, errReply{}, errReply{}}, wantCalls: 4, wantState: "closed"},
		{name: "three timeouts open it", results: []error{timeoutErr, timeoutErr, timeoutErr, nil, nil}, wantCalls: 3, wantState: "open"},
		{name: "a success in between keeps it closed", results: []error{timeoutErr, timeoutErr, nil, timeoutErr, timeoutErr}, wantCalls: 5, wantState: "closed"},
		{name: "cancelled callers do not count", results: []error{context.Canceled, context.Canceled, context.Canceled, nil}, wantCalls: 4, wantState: "closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(Config{Failures: 3, OpenFor: time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			calls := 0
			process := b.ProcessHook(func(context.Context, redis.Cmder) error {
				err := tt.results[calls]
				calls++
				return err
			})
			for i := range tt.results {
				err := process(context.Background(), redis.NewStatusCmd(context.Background(), "PING"))
				if calls <= i && !errors.Is(err, ErrOpen) {
					t.Errorf("command %d was refused with %v, want ErrOpen", i+1, err)
				}
			}
			if calls != tt.wantCalls {
				t.Errorf("commands that reached Redis = %d, want %d", calls, tt.wantCalls)
			}
			if got := b.State(); got != tt.wantState {
				t.Errorf("state = %s, want %s", got, tt.wantState)
			}
		})
	}
}

// errReply is an error reply from Redis, such as WRONGTYPE.
type errReply struct{}

func (errReply) Error() string {
	return "WRONGTYPE Operation against a key holding the wrong kind of value"
}
func (errReply) RedisError() {}

func TestTightenKeepsExplicitTimeouts(t *testing.T) {
	opt := &redis.Options{ReadTimeout: 2 * time.Second}
	Tighten(opt)
	if opt.ReadTimeout != 2*time.Second {
		t.Errorf("ReadTimeout = %s, want the URL's 2s", opt.ReadTimeout)
	}
	if opt.WriteTimeout != WriteTimeout || opt.DialTimeout != DialTimeout || opt.PoolTimeout != PoolTimeout {
		t.Errorf("timeouts = write %s dial %s pool %s, want %s %s %s", opt.WriteTimeout, opt.DialTimeout, opt.PoolTimeout,
			WriteTimeout, DialTimeout, PoolTimeout)
	}
	if opt.MaxRetries != 1 || !opt.ContextTimeoutEnabled {
		t.Errorf("MaxRetries = %d, ContextTimeoutEnabled = %v, want 1, true", opt.MaxRetries, opt.ContextTimeoutEnabled)
	}
}
