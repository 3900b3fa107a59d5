package main

import (
	"context"
	"testing"
)

// The floor must cost its clients what steward does: the same request, the same answer bytes,
// decoded the same way.
func TestFloorAnswersWithTheStoredAnswer(t *testing.T) {
	answer := []byte(`{"data":{"checkQuota":{"allowed":true,"used":"5","remaining":"1099511627771"}}}`)
	ft, err := startFloor(answer, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ft.Close()
	status, raw, err := ft.post(context.Background(), "token", `query { checkQuota(userId: "u", metric: REQUESTS) { allowed } }`, map[string]any{"u": "x"})
	if err != nil || status != 200 || string(raw) != string(answer) {
		t.Fatalf("post: %d %q %v", status, raw, err)
	}
	var out struct {
		CheckQuota struct {
			Allowed bool `json:"allowed"`
		} `json:"checkQuota"`
	}
	if err := ft.graphql(context.Background(), "token", `query { checkQuota(userId: "u", metric: REQUESTS) { allowed } }`, nil, &out); err != nil || !out.CheckQuota.Allowed {
		t.Fatalf("graphql: %+v %v", out, err)
	}
}
