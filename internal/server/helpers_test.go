package server_test

import (
	"context"
	"encoding/json"

	"github.com/steward-dev/steward/internal/authz"
)

func sysCtx() context.Context { return authz.AsOperator(context.Background()) }

// toString renders decoded JSON for comparisons and messages.
func toString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
