package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/steward-dev/steward/internal/auth"
	"github.com/steward-dev/steward/internal/authz"
	"github.com/steward-dev/steward/internal/config"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/gqllimit"
	"github.com/steward-dev/steward/internal/inputs"
	"github.com/steward-dev/steward/internal/metrics"
	"github.com/steward-dev/steward/internal/persisted"
	"github.com/steward-dev/steward/internal/ratelimit"
	"github.com/steward-dev/steward/internal/wsgraphql"
	"github.com/steward-dev/steward/third_party/entgql"
)

// safeTx works around entgql.Transactioner (contrib v0.7.0) panicking on requests that fail
// before an operation exists, such as a malformed JSON body (fixed upstream after v0.7.0).
type safeTx struct{ entgql.Transactioner }

func (t safeTx) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx)
	}
	return t.Transactioner.InterceptResponse(ctx, next)
}

// DefaultKeepAlive is how often idle websockets are pinged, so proxies do not close them.
const DefaultKeepAlive = 10 * time.Second

// graphqlDeps are what the GraphQL handler is built from.
type graphqlDeps struct {
	schema graphql.ExecutableSchema
	// txOpener opens the transaction of a mutation with several fields.
	txOpener entgql.TxOpener
	authn    authenticator
	origins  []string
	limits   *ratelimit.Policy
	logger   *slog.Logger
	metrics  *metrics.Metrics
	// keepAlive is the websocket ping interval; zero means DefaultKeepAlive.
	keepAlive time.Duration
	// wsMaxPerIP bounds one address's open websockets (0: no limit); wsAuthTimeout is how long a
	// websocket may stay without a signed-in viewer (0: wsgraphql.DefaultAuthTimeout).
	wsMaxPerIP    int
	wsAuthTimeout time.Duration
	// bounds are the request limits; introspection lets non-admins introspect and see
	// suggestions; persistedOnly and persistedFile configure persisted operations.
	bounds        config.Limits
	introspection bool
	persistedOnly bool
	persistedFile string
	// tracer traces operations (internal/tracing); nil when tracing is off.
	tracer graphql.HandlerExtension
}

// graphqlHandler builds the gqlgen server: transports in the order gqlgen needs (websockets
// first, SSE before POST), one transaction per mutation, the error presenter and a bounded query
// cache. The websocket transport is returned too, for the caller to close on shutdown.
func graphqlHandler(d graphqlDeps) (*handler.Server, *wsgraphql.Server, error) {
	logger, limits := d.logger, d.limits
	if d.keepAlive <= 0 {
		d.keepAlive = DefaultKeepAlive
	}
	ws, err := wsgraphql.New(wsgraphql.Config{
		InitFunc:         wsInit(d.authn),
		OriginPatterns:   originPatterns(d.origins),
		Context:          wsContext,
		OperationContext: wsOperationContext,
		Authorize:        wsAuthorize(d.authn),
		KeepAlive:        d.keepAlive,
		ReadLimit:        d.bounds.BodyBytes,
		InitTimeout:      10 * time.Second,
		Authenticated:    func(ctx context.Context) bool { return auth.ViewerFrom(ctx) != nil },
		AuthTimeout:      d.wsAuthTimeout,
		MaxPerClient:     d.wsMaxPerIP,
		ClientKey:        func(r *http.Request) string { return auth.RequestFrom(r.Context()).IP },
		Logger:           logger,
		OnSubscription:   d.metrics.Subscriptions,
		OnDropped:        d.metrics.WebsocketDropped,
		OnTooMany:        func(r *http.Request) { refused(r, metrics.RefusedWebsocketLimit) },
	})
	if err != nil {
		return nil, nil, err
	}
	mayIntrospect := func(ctx context.Context) bool { return d.introspection || authz.Allowed(ctx, authz.Introspect) }
	documents := gqllimit.NewDocumentCache(lru.New[*ast.QueryDocument](1000), d.bounds.Pages)
	limiter, err := gqllimit.New(gqllimit.Config{SignedIn: d.bounds.SignedIn, Anonymous: d.bounds.Anonymous, Pages: d.bounds.Pages,
		IsSignedIn:    func(ctx context.Context) bool { return authz.Allowed(ctx, authz.UseAccount) },
		Introspection: mayIntrospect, Validated: documents.Has})
	if err != nil {
		return nil, nil, err
	}
	operations, err := newPersisted(d.persistedOnly, d.persistedFile)
	if err != nil {
		return nil, nil, err
	}
	srv := handler.New(d.schema)
	// First, so that they run outermost (gqlgen runs the first registered outermost) and see what
	// every later interceptor wrote; observe counts the codes errorBoundary leaves.
	if d.tracer != nil {
		srv.Use(d.tracer) // outermost of all: its span covers every other extension's work
	}
	srv.AroundResponses(observe(d.metrics))
	srv.AroundResponses(errorBoundary(logger))
	// Every transport shares srv's executor, so operations over websockets get the same
	// extensions, presenter and transactions as over HTTP.
	srv.AddTransport(ws)
	srv.AddTransport(sseTransport{onSubscription: d.metrics.Subscriptions})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpTransport{})
	srv.SetQueryCache(documents)
	// The limiter parses with the caller's token limit first; this bounds gqlgen's own parse too.
	srv.SetParserTokenLimit(max(d.bounds.SignedIn.Tokens, d.bounds.Anonymous.Tokens))
	// Order matters: the query text is known once persisted operations are resolved, and is
	// measured before gqlgen parses and validates it; transactions open under the deadline, and
	// an answer refused for its size rolls back a mutation of several fields.
	srv.Use(operations)
	srv.Use(limiter)
	srv.Use(gqllimit.Timeout{Limit: d.bounds.Timeout})
	srv.Use(&inputs.Extension{})
	srv.Use(safeTx{entgql.Transactioner{TxOpener: d.txOpener, SkipTxFunc: singleField}})
	srv.Use(gqllimit.ResponseLimit{Bytes: d.bounds.ResponseBytes})
	srv.AroundRootFields(limitMutations(limits))
	srv.SetErrorPresenter(presentError(logger, mayIntrospect))
	srv.SetRecoverFunc(recoverPanic(logger))
	return srv, ws, nil
}

// newPersisted builds the persisted operations: those of file (STEWARD_PERSISTED_OPERATIONS), and APQ
// registrations, which only admins may make when only persisted operations run.
func newPersisted(only bool, file string) (*persisted.Store, error) {
	var ops map[string]string
	if file != "" {
		var err error
		if ops, err = persisted.Load(file); err != nil {
			return nil, err
		}
	}
	c := persisted.Config{Operations: ops, Only: only}
	if only {
		c.MayRegister = func(ctx context.Context) bool { return authz.Allowed(ctx, authz.RegisterOperations) }
	}
	return persisted.New(c)
}

// originPatterns converts allowed origins ("https://app.example.com") to the host patterns the
// websocket library matches; with none, only same-origin browsers may connect.
func originPatterns(origins []string) []string {
	out := make([]string, 0, len(origins))
	for _, o := range origins {
		o = strings.TrimPrefix(strings.TrimPrefix(o, "https://"), "http://")
		out = append(out, strings.TrimSuffix(o, "/"))
	}
	return out
}

// wsContext is what a websocket keeps of its upgrade request for its whole life: the caller's
// address and the viewer of the request's cookie or header. The request's own context is
// cancelled as soon as the upgrade returns, and its cookie setter and rate-limit header sink
// write to a response that is gone (keeping them would also pin that response's buffers).
func wsContext(r *http.Request) context.Context {
	ctx := auth.WithRequest(context.Background(), auth.RequestFrom(r.Context()))
	return auth.WithViewer(ctx, auth.ViewerFrom(r.Context()))
}

// wsOperationContext gives each operation over a websocket a viewer slot of its own, as each HTTP
// request has one: a sign-in over the socket makes the new account the viewer of its own
// response only. The connection keeps the viewer connection_init established, whose credential
// its subscriptions are watched for.
func wsOperationContext(ctx context.Context) context.Context {
	return auth.WithViewer(ctx, auth.ViewerFrom(ctx))
}

// wsAuthorize refuses the operations of a websocket whose credential no longer holds (signed out,
// revoked, the account deleted or its role changed), as the next HTTP request with it would be.
func wsAuthorize(authn authenticator) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if v := auth.ViewerFrom(ctx); v != nil && !authn.StillValid(ctx, v) {
			return errs.Unauthenticated("this connection's credential is no longer valid: sign in again and reconnect")
		}
		return nil
	}
}

// wsInit authenticates a websocket from its connection_init payload ({"token": "..."} or
// {"Authorization": "Bearer ..."}), since browsers cannot set headers on websockets. Without a
// token in the payload, the cookie or header of the upgrade request (already in ctx) stands.
func wsInit(authn authenticator) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		token := p.GetString("token")
		if token == "" {
			token = strings.TrimSpace(strings.TrimPrefix(p.Authorization(), "Bearer "))
		}
		if token == "" {
			return ctx, nil, nil
		}
		v, err := authn.Authenticate(ctx, token)
		if err != nil {
			if e, ok := errs.As(err); ok {
				return ctx, nil, e
			}
			return ctx, nil, errs.Unauthenticated("could not authenticate")
		}
		return auth.WithViewer(ctx, v), nil, nil
	}
}

// isMutation reports whether ctx's operation is a mutation.
func isMutation(ctx context.Context) bool {
	oc := graphql.GetOperationContext(ctx)
	return oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation
}

// singleField tells which mutations run without a transaction of the server's: those with one
// field, whose domain method opens its own (or, for a lone recordUsage, shares a batch's). An
// operation with several fields runs in one transaction that every domain method joins, so that
// it is all or nothing.
func singleField(op *ast.OperationDefinition) bool { return len(op.SelectionSet) <= 1 }

// limitMutations counts every mutation field of a person signed in with a token against the
// per-user limit; aliases and batches count once each. Callers with an API key are programs (the
// LLM gateway metering thousands of calls for many users under one key): a key is revoked, not
// throttled, when it is abused, as withRateLimit says for the address ceiling.
//
// It intercepts root fields only: a field interceptor would wrap every field of every answer (a
// closure and a call per field, some 600 on a users page) to act on a handful.
func limitMutations(limits *ratelimit.Policy) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		// RootFieldContext.Object holds the field's name, not its type's: ask the operation.
		rc := graphql.GetRootFieldContext(ctx)
		if limits != nil && rc != nil && isMutation(ctx) {
			if v := auth.ViewerFrom(ctx); v != nil && v.APIKeyID == "" {
				if err := limits.Mutation(ctx, v.UserID); err != nil {
					// The field's own context does not exist yet: the error names its path here,
					// and the field answers null as it would have had its resolver failed.
					graphql.AddError(graphql.WithPathContext(ctx, graphql.NewPathWithField(rc.Field.Alias)), err)
					return graphql.Null
				}
			}
		}
		return next(ctx)
	}
}
