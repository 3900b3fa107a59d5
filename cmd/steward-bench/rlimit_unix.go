//go:build unix

package main

import "syscall"

// raiseFileLimit lifts the soft limit on open files to the hard one: 1,000 streams through the
// gateway are 3,000 sockets in this process (client, steward, upstream), above the common
// default of 1,024.
func raiseFileLimit() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return 0, err
		}
	}
	return l.Cur, nil
}
