package settings

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/steward-dev/steward/internal/errs"
)

// DefaultVerifyTimeout bounds one tool server verification.
const DefaultVerifyTimeout = 10 * time.Second

// maxSpecBytes bounds how much of a tool server's answer is read.
const maxSpecBytes = 10 << 20

// mcpProtocolVersion is the MCP revision steward offers in initialize; servers answer with the
// revision they speak, which may be older.
const mcpProtocolVersion = "2025-06-18"

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	// AllowPrivate lets verification reach loopback, private and link-local addresses
	// (STEWARD_ALLOW_PRIVATE_TOOL_SERVERS). Off by default: an admin form that makes the server
	// fetch any URL is otherwise a server-side request forgery into the internal network.
	AllowPrivate bool
	// Timeout bounds one verification; zero means DefaultVerifyTimeout.
	Timeout time.Duration
}

// Verifier connects to tool servers to check that they answer as what they claim to be.
type Verifier struct {
	client  *http.Client
	timeout time.Duration
}

// errPrivateAddress is returned by the dialer for a refused address.
var errPrivateAddress = errors.New("private address")

// NewVerifier returns a Verifier. The address check runs in the dialer on the resolved address
// of every connection, redirects included, so DNS rebinding or a redirect cannot reach a
// refused address.
func NewVerifier(cfg VerifierConfig) *Verifier {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultVerifyTimeout
	}
	dialer := &net.Dialer{Timeout: cfg.Timeout}
	if !cfg.AllowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil || !publicAddr(ip) {
				return fmt.Errorf("%w %s", errPrivateAddress, host)
			}
			return nil
		}
	}
	transport := &http.Transport{
		// No proxy: through a proxy the dialer would check the proxy's address, not the target's.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		MaxIdleConns:          4,
		IdleConnTimeout:       30 * time.Second,
	}
	return &Verifier{
		timeout: cfg.Timeout,
		client: &http.Client{Transport: transport, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return nil
		}},
	}
}

// publicAddr reports whether ip is a globally routable unicast address.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	// NAT64 (64:ff9b::/96) embeds an IPv4 address that must pass the same test.
	if nat64.Contains(ip) {
		b := ip.As16()
		return publicAddr(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	}
	return true
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	nonPublic = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
		netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
		netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
		netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
		netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
		netip.MustParsePrefix("fec0::/10"),      // site-local (deprecated)
		netip.MustParsePrefix("2001:db8::/32"),  // documentation
		netip.MustParsePrefix("::/128"),         // unspecified
		netip.MustParsePrefix("100::/64"),       // discard
		netip.MustParsePrefix("169.254.0.0/16"), // link-local (cloud metadata)
		netip.MustParsePrefix("fe80::/10"),      // link-local
		netip.MustParsePrefix("fc00::/7"),       // unique local
		netip.MustParsePrefix("127.0.0.0/8"),    // loopback
		netip.MustParsePrefix("192.168.0.0/16"), // private
		netip.MustParsePrefix("10.0.0.0/8"),     // private
		netip.MustParsePrefix("172.16.0.0/12"),  // private
		netip.MustParsePrefix("224.0.0.0/4"),    // multicast
		netip.MustParsePrefix("255.255.255.255/32"),
	}
)

// Verification is what a tool server said about itself.
type Verification struct {
	Type ToolServerType
	// Name and Version are the OpenAPI document's info.title and info.version, or the MCP
	// server's serverInfo.
	Name, Version string
	// SpecVersion is the OpenAPI (or Swagger) version, or the MCP protocol version.
	SpecVersion string
	// Operations is the number of OpenAPI operations; 0 for MCP.
	Operations int
}

// verifyFailure is the BAD_USER_INPUT error of a failed verification; reason is a stable code
// clients can switch on.
func verifyFailure(reason, msg string) error {
	e := errs.Invalid("url", msg)
	e.Extra = map[string]any{"reason": reason}
	return e
}

// Verify fetches t's OpenAPI document or performs MCP's initialize request, within the timeout.
func (v *Verifier) Verify(ctx context.Context, t ToolServer) (Verification, error) {
	ctx, cancel := context.WithTimeout(ctx, v.timeout)
	defer cancel()
	if t.Type == ToolServerMCP {
		return v.verifyMCP(ctx, t)
	}
	return v.verifyOpenAPI(ctx, t)
}

func (v *Verifier) do(ctx context.Context, t ToolServer, req *http.Request) (*http.Response, []byte, error) {
	for k, val := range t.Headers {
		req.Header.Set(k, val)
	}
	if t.AuthType == ToolAuthBearer && t.Key != "" {
		req.Header.Set("Authorization", "Bearer "+t.Key)
	}
	req.Header.Set("User-Agent", "steward-tool-verifier")
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, nil, v.transportError(ctx, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSpecBytes))
	if err != nil {
		return nil, nil, v.transportError(ctx, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, verifyFailure("HTTP_STATUS", fmt.Sprintf("the server answered HTTP %d", resp.StatusCode))
	}
	return resp, body, nil
}

func (v *Verifier) transportError(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, errPrivateAddress):
		return verifyFailure("PRIVATE_ADDRESS", "the address is loopback, private or link-local; "+
			"set STEWARD_ALLOW_PRIVATE_TOOL_SERVERS=true to allow tool servers on internal networks")
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return verifyFailure("TIMEOUT", fmt.Sprintf("the server did not answer within %s", v.timeout))
	case errors.Is(err, context.Canceled):
		return err
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return verifyFailure("UNREACHABLE", "the host name does not resolve")
	}
	return verifyFailure("UNREACHABLE", "could not connect to the server")
}

// specURL joins the server URL and the document path, as Open WebUI does; an absolute path is
// used as it is.
func specURL(t ToolServer) string {
	if strings.HasPrefix(t.Path, "http://") || strings.HasPrefix(t.Path, "https://") {
		return t.Path
	}
	base := strings.TrimRight(t.URL, "/")
	if t.Path == "" {
		return base
	}
	return base + "/" + strings.TrimLeft(t.Path, "/")
}

func (v *Verifier) verifyOpenAPI(ctx context.Context, t ToolServer) (Verification, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, specURL(t), nil)
	if err != nil {
		return Verification{}, verifyFailure("BAD_URL", "the URL and path do not form a valid URL")
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9, */*;q=0.1")
	_, body, err := v.do(ctx, t, req)
	if err != nil {
		return Verification{}, err
	}
	var doc struct {
		OpenAPI string `json:"openapi" yaml:"openapi"`
		Swagger string `json:"swagger" yaml:"swagger"`
		Info    struct {
			Title   string `json:"title" yaml:"title"`
			Version string `json:"version" yaml:"version"`
		} `json:"info" yaml:"info"`
		Paths map[string]map[string]any `json:"paths" yaml:"paths"`
	}
	if json.Unmarshal(body, &doc) != nil {
		// OpenAPI documents are often served as YAML.
		doc.OpenAPI, doc.Swagger = "", ""
		if yaml.Unmarshal(body, &doc) != nil {
			return Verification{}, verifyFailure("NOT_OPENAPI", "the answer is neither JSON nor YAML")
		}
	}
	version := doc.OpenAPI
	if version == "" {
		version = doc.Swagger
	}
	if version == "" {
		return Verification{}, verifyFailure("NOT_OPENAPI", `the answer has no "openapi" or "swagger" field: it is not an OpenAPI document`)
	}
	ops := 0
	for _, item := range doc.Paths {
		for method := range item {
			switch strings.ToLower(method) {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				ops++
			}
		}
	}
	return Verification{Type: ToolServerOpenAPI, Name: doc.Info.Title, Version: doc.Info.Version, SpecVersion: version, Operations: ops}, nil
}

// rpcResponse is a JSON-RPC 2.0 response to initialize.
type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  *struct {
		ProtocolVersion string `json:"protocolVersion"`
		ServerInfo      struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"serverInfo"`
	} `json:"result"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (v *Verifier) verifyMCP(ctx context.Context, t ToolServer) (Verification, error) {
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": 1, "method": "initialize",
		"params": map[string]any{
			"protocolVersion": mcpProtocolVersion,
			"capabilities":    map[string]any{},
			"clientInfo":      map[string]any{"name": "steward", "version": "1"},
		},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, specURL(t), bytes.NewReader(body))
	if err != nil {
		return Verification{}, verifyFailure("BAD_URL", "the URL and path do not form a valid URL")
	}
	// Streamable HTTP: the server may answer with one JSON object or an SSE stream.
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, raw, err := v.do(ctx, t, req)
	if err != nil {
		return Verification{}, err
	}
	msg := raw
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/event-stream" {
		if msg = firstSSEData(raw); msg == nil {
			return Verification{}, verifyFailure("NOT_MCP", "the event stream carried no message")
		}
	}
	var r rpcResponse
	if err := json.Unmarshal(msg, &r); err != nil || r.JSONRPC != "2.0" {
		return Verification{}, verifyFailure("NOT_MCP", "the answer is not a JSON-RPC 2.0 message: it is not an MCP server")
	}
	if r.Error != nil {
		return Verification{}, verifyFailure("NOT_MCP", fmt.Sprintf("the server refused initialize: %s (code %d)", truncateText(r.Error.Message, 200), r.Error.Code))
	}
	if r.Result == nil || r.Result.ProtocolVersion == "" {
		return Verification{}, verifyFailure("NOT_MCP", "the initialize answer has no protocolVersion: it is not an MCP server")
	}
	return Verification{Type: ToolServerMCP, Name: r.Result.ServerInfo.Name, Version: r.Result.ServerInfo.Version, SpecVersion: r.Result.ProtocolVersion}, nil
}

// firstSSEData returns the data of the first event carrying a JSON-RPC message.
func firstSSEData(stream []byte) []byte {
	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Buffer(make([]byte, 64<<10), maxSpecBytes)
	var data []byte
	flush := func() []byte {
		d := bytes.TrimSpace(data)
		data = nil
		if len(d) > 0 && d[0] == '{' {
			return d
		}
		return nil
	}
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			if d := flush(); d != nil {
				return d
			}
			continue
		}
		if rest, ok := bytes.CutPrefix(line, []byte("data:")); ok {
			data = append(append(data, bytes.TrimPrefix(rest, []byte(" "))...), '\n')
		}
	}
	return flush()
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
