package server_test

import (
	"context"
	"encoding/json"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/server"
)

func sysCtx() context.Context { return auth.System(context.Background()) }

// toString renders decoded JSON for comparisons and messages.
func toString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

type (
	configT       = config.Config
	serverOptions = server.Options
)
