package server

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/steward-dev/steward/internal/errs"
)

// Media types of GraphQL-over-HTTP responses.
const (
	mediaJSON        = "application/json"
	mediaGraphQLJSON = "application/graphql-response+json"
)

// httpTransport serves GraphQL over plain HTTP GET (queries only) and POST (application/json), as
// the GraphQL-over-HTTP specification says, in place of gqlgen's GET and POST transports: a
// request that fails parsing, validation or coercion is 200 with application/json and 400 with
// application/graphql-response+json, and its body has no "data" key; a mutation over GET is 405
// with Allow: POST; a malformed request (a body that is not JSON, no query) is 400 and described,
// never echoed; and a response whose only errors
// say the database is unavailable is 503 with Retry-After.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

// Supports takes GET and JSON POST requests that are not websocket upgrades; SSE requests are
// taken by the SSE transport, which is added before this one.
func (httpTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" {
		return false
	}
	switch r.Method {
	case http.MethodGet:
		return true
	case http.MethodPost:
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		return err == nil && mt == mediaJSON
	}
	return false
}

// Do runs one operation and writes its answer.
func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r.Header.Get("Accept"))
	w.Header().Set("Content-Type", media)
	params, problem := readParams(r)
	if problem != "" {
		refused(r, refusedBadRequest)
		writeRequestError(w, http.StatusBadRequest, gqlerror.List{{Message: problem, Extensions: map[string]any{"code": string(errs.CodeBadUserInput)}}})
		return
	}
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		refused(r, refusedBadRequest)
		writeRequestError(w, http.StatusBadRequest, gqlerror.List{{Message: "the request has no query", Extensions: map[string]any{"code": string(errs.CodeBadUserInput)}}})
		return
	}
	params.ReadTime.End = graphql.Now()
	opCtx, reqErrs := exec.CreateOperationContext(ctx, params)
	if reqErrs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), reqErrs)
		status := http.StatusOK
		if media == mediaGraphQLJSON {
			status = http.StatusBadRequest
		}
		if s, ok := unavailableStatus(w, resp.Errors); ok {
			status = s
		}
		writeRequestError(w, status, resp.Errors)
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		refused(r, refusedMethod)
		w.Header().Set("Allow", http.MethodPost)
		writeRequestError(w, http.StatusMethodNotAllowed, gqlerror.List{{
			Message:    "only queries may be sent with GET; send " + string(opCtx.Operation.Operation) + "s with POST",
			Extensions: map[string]any{"code": string(errs.CodeBadUserInput)},
		}})
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	resp := responses(ctx)
	if resp == nil {
		resp = &graphql.Response{}
	}
	if len(resp.Data) == 0 {
		resp.Data = json.RawMessage("null")
	}
	status := http.StatusOK
	if s, ok := unavailableStatus(w, resp.Errors); ok {
		status = s
	}
	w.WriteHeader(status)
	b, err := marshalResponse(resp)
	if err != nil {
		b = []byte(internalErrorBody)
	}
	_, _ = w.Write(b)
}

// readParams reads the operation from the query string (GET) or the JSON body (POST), and
// describes what is wrong with a request it cannot read.
func readParams(r *http.Request) (*graphql.RawParams, string) {
	params := &graphql.RawParams{Headers: r.Header}
	params.ReadTime.Start = graphql.Now()
	if r.Method == http.MethodGet {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, "the query string is not valid"
		}
		params.Query, params.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" && decodeJSON(strings.NewReader(v), &params.Variables) != nil {
			return nil, "the variables parameter is not a valid JSON object"
		}
		if v := q.Get("extensions"); v != "" && decodeJSON(strings.NewReader(v), &params.Extensions) != nil {
			return nil, "the extensions parameter is not a valid JSON object"
		}
		return params, ""
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, "the request body could not be read"
	}
	if decodeJSON(bytes.NewReader(body), params) != nil {
		return nil, "the request body is not valid JSON: send {\"query\": \"...\", \"variables\": {...}}"
	}
	return params, ""
}

// decodeJSON decodes as gqlgen's transports do: numbers stay json.Number, so that Int and Float
// arguments are coerced by the schema rather than by encoding/json.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return dec.Decode(v)
}

// responseMedia picks the response type from Accept: the first of application/json and
// application/graphql-response+json it names, application/json for none or a wildcard (what
// clients written before the newer type expect), and the newer type otherwise.
func responseMedia(accept string) string {
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLJSON:
			return mediaGraphQLJSON
		}
	}
	return mediaGraphQLJSON
}

// unavailableStatus is 503, with Retry-After set, when every error says the database is
// unavailable: the whole answer is then "try again later", which HTTP clients and proxies
// understand without reading the body.
func unavailableStatus(w http.ResponseWriter, list gqlerror.List) (int, bool) {
	if len(list) == 0 {
		return 0, false
	}
	for _, e := range list {
		if e == nil || e.Extensions["code"] != string(errs.CodeServiceUnavailable) {
			return 0, false
		}
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(unavailableRetry.Seconds()))))
	return http.StatusServiceUnavailable, true
}

// requestErrorBody is a response to a request that never executed: it has no "data" key.
type requestErrorBody struct {
	Errors gqlerror.List `json:"errors"`
}

func writeRequestError(w http.ResponseWriter, status int, list gqlerror.List) {
	w.WriteHeader(status)
	writeBody(w, requestErrorBody{Errors: list})
}

// internalErrorBody answers a request whose answer could not be written.
const internalErrorBody = `{"errors":[{"message":"internal server error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}`

func writeBody(w io.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(internalErrorBody)
	}
	_, _ = w.Write(b)
}
