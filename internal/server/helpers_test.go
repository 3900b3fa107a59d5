package server_test

import (
	"context"
	"encoding/json"

	"github.com/steward-dev/steward/internal/auth"
)

func sysCtx() context.Context { return auth.System(context.Background()) }

// toString renders decoded JSON for comparisons and messages.
func toString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
