//go:build !linux

package main

import (
	"context"
	"errors"
	"net"
)

// listenShared needs SO_REUSEPORT's load balancing, which only Linux has: use --balance proxy.
func listenShared(context.Context, string) (net.Listener, error) {
	return nil, errors.New("--balance port needs Linux (SO_REUSEPORT); use --balance proxy")
}
