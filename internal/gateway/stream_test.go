package gateway

import (
	"bufio"
	"strings"
	"testing"
)

func TestEventBuffered(t *testing.T) {
	for _, tc := range []struct {
		name, rest string
		want       bool
	}{
		{"nothing yet", "", false},
		{"half a line", `data: {"id"`, false},
		{"a line without its blank line", "data: {}\n", false},
		{"a whole event", "data: {}\n\n", true},
		{"a whole event with CRLF", "data: {}\r\n\r\n", true},
		{"a whole event and half the next", "data: {}\n\ndata: {", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The first event has been read; what follows it is what the upstream sent with it.
			br := bufio.NewReader(strings.NewReader("data: first\n\n" + tc.rest))
			for range 2 {
				if _, err := readLine(br); err != nil {
					t.Fatal(err)
				}
			}
			if got := eventBuffered(br); got != tc.want {
				t.Errorf("eventBuffered after the first event, with %q next: %t, want %t", tc.rest, got, tc.want)
			}
		})
	}
}
