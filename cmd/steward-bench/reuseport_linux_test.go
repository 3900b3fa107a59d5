package main

import (
	"context"
	"net"
	"testing"
)

// Replicas in --balance port mode listen on one port: the second listener must be accepted where
// a plain listen would fail with "address already in use", and both must take connections.
func TestListenSharedAcceptsOnOnePort(t *testing.T) {
	ctx := context.Background()
	a, err := listenShared(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := listenShared(ctx, a.Addr().String())
	if err != nil {
		t.Fatalf("second listener on %s: %v", a.Addr(), err)
	}
	defer b.Close()
	if _, err := net.Listen("tcp", a.Addr().String()); err == nil {
		t.Fatal("a listener without SO_REUSEPORT joined the port: the test proves nothing")
	}
	accepted := make(chan int, 64)
	for i, ln := range []net.Listener{a, b} {
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				accepted <- i
				c.Close()
			}
		}()
	}
	// The kernel hashes each connection's addresses to a listener: with 64 connections both get
	// some unless the hash is degenerate (a chance of 2^-63).
	var per [2]int
	for range 64 {
		c, err := net.Dial("tcp", a.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		per[<-accepted]++
		c.Close()
	}
	if per[0] == 0 || per[1] == 0 {
		t.Fatalf("connections per listener = %v, want both used", per)
	}
}
