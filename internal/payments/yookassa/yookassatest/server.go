// Package yookassatest provides a fake YooKassa API v3 server for tests. It implements
// POST /v3/payments and GET /v3/payments/{id} with Basic auth and Idempotence-Key semantics,
// keeps payments in memory, and lets tests move payments through their states, inject failures
// and delays, and build webhook bodies. A payment made with save_payment_method saves its (bank
// card) method once it succeeds; charges by payment_method_id need no confirmation and succeed at
// once, or are canceled when a test asks (FailCharges). Receipts sent with payments and refunds
// are kept for the test to read.
package yookassatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/steward-dev/steward/internal/money"
	"github.com/steward-dev/steward/internal/payments"
)

// Server is a running fake YooKassa. Create it with NewServer and Close it when done. Its methods
// are safe for concurrent use.
type Server struct {
	srv       *httptest.Server
	shopID    string
	secretKey string

	mu       sync.Mutex
	payments map[string]*payment
	byKey    map[string]keyed       // Idempotence-Key → first request
	refunds  map[string]keyedRefund // Idempotence-Key → the refund it made
	seq      int
	failures []failure
	delay    time.Duration
	now      func() time.Time
	requests int
	// methods holds the saved payment methods: id → usable.
	methods map[string]bool
	// chargeFailures are the cancellation reasons of the next charges of saved methods.
	chargeFailures []string
	refundReceipts []json.RawMessage
}

type payment struct {
	id              string
	status          payments.Status
	paid            bool
	value           string
	currency        string
	description     string
	metadata        map[string]string
	confirmationURL string
	createdAt       time.Time
	refundedMinor   int64
	save            bool
	methodID        string
	methodSaved     bool
	charge          bool
	cancelReason    string
	receipt         json.RawMessage
}

type keyed struct {
	body []byte
	id   string
}

type failure struct {
	status      int
	code        string
	description string
}

// NewServer starts a fake that accepts only shopID and secretKey as Basic auth credentials.
func NewServer(shopID, secretKey string) *Server {
	s := &Server{
		shopID:    shopID,
		secretKey: secretKey,
		payments:  map[string]*payment{},
		byKey:     map[string]keyed{},
		refunds:   map[string]keyedRefund{},
		methods:   map[string]bool{},
		now:       time.Now,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v3/payments", s.create)
	mux.HandleFunc("GET /v3/payments/{id}", s.get)
	mux.HandleFunc("POST /v3/refunds", s.refund)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "Unknown API method", "")
	})
	s.srv = httptest.NewServer(s.middleware(mux))
	return s
}

// URL returns the API root to use as yookassa.Config.BaseURL (it ends in "/v3").
func (s *Server) URL() string { return s.srv.URL + "/v3" }

// Close shuts the server down, waiting for requests in flight (delayed ones end early).
func (s *Server) Close() { s.srv.Close() }

// SetNow replaces the clock that stamps created_at; nil restores time.Now.
func (s *Server) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now == nil {
		now = time.Now
	}
	s.now = now
}

// SetDelay makes every later request wait d before it is handled (or until the client gives up).
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// FailNext makes the next request, after authentication, answer with status and a YooKassa error
// body carrying code and description. Calls queue up: each injected failure is used once.
func (s *Server) FailNext(status int, code, description string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{status: status, code: code, description: description})
}

// SetStatus sets a payment's status, with paid set the way YooKassa does (true for succeeded and
// waiting_for_capture) and the confirmation URL dropped once the payment is no longer pending.
// Use SetPaid afterwards to force another paid flag. It fails for an unknown id or status.
func (s *Server) SetStatus(id string, status payments.Status) error {
	if !status.Valid() {
		return fmt.Errorf("yookassatest: invalid status %q", status)
	}
	return s.update(id, func(p *payment) {
		p.status = status
		p.paid = status == payments.Succeeded || status == payments.WaitingForCapture
		if p.paid && p.methodID == "" {
			// The payer paid with a card on the payment page; saved if the payment asked.
			p.methodID, p.methodSaved = "pm-"+p.id, p.save
			if p.save {
				s.methods[p.methodID] = true
			}
		}
		if status != payments.Pending {
			p.confirmationURL = ""
		}
	})
}

// SetPaid sets a payment's paid flag. It fails for an unknown id.
func (s *Server) SetPaid(id string, paid bool) error {
	return s.update(id, func(p *payment) { p.paid = paid })
}

// SetRefunded sets a payment's refunded amount in minor units. It fails for an unknown id.
func (s *Server) SetRefunded(id string, minor int64) error {
	return s.update(id, func(p *payment) { p.refundedMinor = minor })
}

func (s *Server) update(id string, f func(*payment)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return fmt.Errorf("yookassatest: no payment %q", id)
	}
	f(p)
	return nil
}

// Payment returns the stored payment with the given id as the API would return it.
func (s *Server) Payment(id string) (payments.Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return payments.Payment{}, false
	}
	cur := money.Currency(p.currency)
	minor, _ := money.ParseDecimal(p.value, cur) // validated on create
	var meta map[string]string
	if len(p.metadata) > 0 {
		meta = make(map[string]string, len(p.metadata))
		for k, v := range p.metadata {
			meta[k] = v
		}
	}
	return payments.Payment{
		ID: p.id, Status: p.status, Paid: p.paid, AmountMinor: minor, Currency: p.currency,
		ConfirmationURL: p.confirmationURL, Metadata: meta, CreatedAt: p.createdAt,
		Refunded: p.refundedMinor > 0, RefundedMinor: p.refundedMinor, Method: p.method(), CancellationReason: p.cancelReason,
	}, true
}

func (p *payment) method() *payments.Method {
	if p.methodID == "" {
		return nil
	}
	return &payments.Method{ID: p.methodID, Saved: p.methodSaved, Type: "bank_card", Title: "Bank card *4444", Last4: "4444"}
}

// FailCharges makes the next n charges of saved methods come back canceled with reason (such as
// "insufficient_funds"), as a declined card does.
func (s *Server) FailCharges(n int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.chargeFailures = append(s.chargeFailures, reason)
	}
}

// Charges returns how many distinct charges of saved methods were made (declined ones included).
func (s *Server) Charges() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, p := range s.payments {
		if p.charge {
			n++
		}
	}
	return n
}

// Receipt returns the receipt object sent with the payment with the given id, or nil.
func (s *Server) Receipt(id string) json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.payments[id]; ok {
		return p.receipt
	}
	return nil
}

// RefundReceipts returns the receipt objects sent with refunds, in order (nil for none).
func (s *Server) RefundReceipts() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]json.RawMessage(nil), s.refundReceipts...)
}

// Count returns how many distinct payments have been created.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.payments)
}

// Requests returns how many requests reached the server, rejected ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Notification returns a webhook body for event ("payment.succeeded", say) carrying the stored
// payment with the given id as its object, as YooKassa would post it.
func (s *Server) Notification(event, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[id]
	if !ok {
		return nil, fmt.Errorf("yookassatest: no payment %q", id)
	}
	return json.Marshal(map[string]any{"type": "notification", "event": event, "object": p.json()})
}

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		delay := s.delay
		s.mu.Unlock()
		if delay > 0 {
			// Read the body first: only then does net/http watch the connection and cancel
			// r.Context() when the client gives up, so Close does not wait out the delay.
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			r.Body = io.NopCloser(bytes.NewReader(body))
			t := time.NewTimer(delay)
			defer t.Stop()
			select {
			case <-r.Context().Done():
				return
			case <-t.C:
			}
		}
		user, pass, ok := r.BasicAuth()
		if !ok || user != s.shopID || pass != s.secretKey {
			writeError(w, http.StatusUnauthorized, "invalid_credentials",
				"Login or password is incorrect. Check the shopId and secret key.", "Authorization")
			return
		}
		s.mu.Lock()
		var f *failure
		if len(s.failures) > 0 {
			f = &s.failures[0]
			s.failures = s.failures[1:]
		}
		s.mu.Unlock()
		if f != nil {
			writeError(w, f.status, f.code, f.description, "")
			return
		}
		next.ServeHTTP(w, r)
	})
}

type amountJSON struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

type createRequest struct {
	Amount       *amountJSON `json:"amount"`
	Capture      bool        `json:"capture"`
	Confirmation *struct {
		Type      string `json:"type"`
		ReturnURL string `json:"return_url"`
	} `json:"confirmation"`
	Description       string            `json:"description"`
	Metadata          map[string]string `json:"metadata"`
	SavePaymentMethod bool              `json:"save_payment_method"`
	PaymentMethodID   string            `json:"payment_method_id"`
	Receipt           json.RawMessage   `json:"receipt"`
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotence-Key")
	if key == "" || len(key) > 64 {
		writeError(w, http.StatusBadRequest, "invalid_request", "Idempotence key is missing or too long", "Idempotence-Key")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "Cannot read request body", "")
		return
	}
	s.mu.Lock()
	prev, seen := s.byKey[key]
	s.mu.Unlock()
	if seen {
		if !bytes.Equal(prev.body, body) {
			writeError(w, http.StatusBadRequest, "invalid_request", "Idempotence key duplicated with different request parameters", "Idempotence-Key")
			return
		}
		s.writePayment(w, prev.id)
		return
	}

	var req createRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "Request body is not valid JSON", "")
		return
	}
	if req.Amount == nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "Amount is required", "amount")
		return
	}
	cur, err := money.ParseCurrency(req.Amount.Currency)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "Unsupported currency", "amount.currency")
		return
	}
	minor, err := money.ParseDecimal(req.Amount.Value, cur)
	if err != nil || minor <= 0 || money.FormatDecimal(minor, cur) != req.Amount.Value {
		writeError(w, http.StatusBadRequest, "invalid_request", "Invalid amount value", "amount.value")
		return
	}
	if req.PaymentMethodID == "" && (req.Confirmation == nil || req.Confirmation.Type != "redirect" || req.Confirmation.ReturnURL == "") {
		writeError(w, http.StatusBadRequest, "invalid_request", "Redirect confirmation with return_url is required", "confirmation")
		return
	}
	if req.PaymentMethodID != "" {
		s.mu.Lock()
		usable := s.methods[req.PaymentMethodID]
		s.mu.Unlock()
		if !usable {
			writeError(w, http.StatusBadRequest, "invalid_request", "Payment method is not saved or not usable", "payment_method_id")
			return
		}
	}
	if utf8.RuneCountInString(req.Description) > 128 {
		writeError(w, http.StatusBadRequest, "invalid_request", "Description is too long", "description")
		return
	}

	s.mu.Lock()
	// Another request with the same key may have won the race while this one was validated.
	if prev, seen := s.byKey[key]; seen {
		s.mu.Unlock()
		if !bytes.Equal(prev.body, body) {
			writeError(w, http.StatusBadRequest, "invalid_request", "Idempotence key duplicated with different request parameters", "Idempotence-Key")
			return
		}
		s.writePayment(w, prev.id)
		return
	}
	s.seq++
	id := fmt.Sprintf("%08x-000f-5000-8000-%012x", s.seq, s.seq)
	p := &payment{
		id:              id,
		status:          payments.Pending,
		value:           req.Amount.Value,
		currency:        req.Amount.Currency,
		description:     req.Description,
		metadata:        req.Metadata,
		confirmationURL: s.srv.URL + "/checkout/" + id,
		createdAt:       s.now().UTC().Truncate(time.Millisecond),
		save:            req.SavePaymentMethod,
		receipt:         req.Receipt,
	}
	if req.PaymentMethodID != "" {
		// A charge of a saved method: final at once, no payer involved.
		p.charge, p.methodID, p.methodSaved, p.confirmationURL = true, req.PaymentMethodID, true, ""
		p.status, p.paid = payments.Succeeded, true
		if len(s.chargeFailures) > 0 {
			p.status, p.paid, p.cancelReason = payments.Canceled, false, s.chargeFailures[0]
			s.chargeFailures = s.chargeFailures[1:]
		}
	}
	s.payments[id] = p
	s.byKey[key] = keyed{body: body, id: id}
	s.mu.Unlock()
	s.writePayment(w, id)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	s.writePayment(w, r.PathValue("id"))
}

func (s *Server) writePayment(w http.ResponseWriter, id string) {
	s.mu.Lock()
	p, ok := s.payments[id]
	var obj map[string]any
	if ok {
		obj = p.json()
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "Payment doesn't exist or access denied", "payment_id")
		return
	}
	writeJSON(w, http.StatusOK, obj)
}

// json renders p like YooKassa's payment object. The caller holds s.mu.
func (p *payment) json() map[string]any {
	cur := money.Currency(p.currency)
	obj := map[string]any{
		"id":              p.id,
		"status":          string(p.status),
		"paid":            p.paid,
		"amount":          amountJSON{Value: p.value, Currency: p.currency},
		"created_at":      p.createdAt.Format("2006-01-02T15:04:05.000Z07:00"),
		"refundable":      p.status == payments.Succeeded,
		"test":            true,
		"refunded_amount": amountJSON{Value: money.FormatDecimal(p.refundedMinor, cur), Currency: p.currency},
		"recipient":       map[string]string{"account_id": "fake", "gateway_id": "fake"},
	}
	if p.description != "" {
		obj["description"] = p.description
	}
	meta := map[string]string{}
	for k, v := range p.metadata {
		meta[k] = v
	}
	obj["metadata"] = meta
	if p.confirmationURL != "" {
		obj["confirmation"] = map[string]string{"type": "redirect", "confirmation_url": p.confirmationURL}
	}
	if p.methodID != "" {
		obj["payment_method"] = map[string]any{"type": "bank_card", "id": p.methodID, "saved": p.methodSaved,
			"title": "Bank card *4444", "card": map[string]string{"last4": "4444", "card_type": "Visa"}}
	}
	if p.cancelReason != "" {
		obj["cancellation_details"] = map[string]string{"party": "payment_network", "reason": p.cancelReason}
	}
	if len(p.receipt) > 0 {
		obj["receipt_registration"] = "pending"
	}
	return obj
}

func writeError(w http.ResponseWriter, status int, code, description, parameter string) {
	body := map[string]string{
		"type":        "error",
		"id":          fmt.Sprintf("fake-error-%d", status),
		"code":        code,
		"description": description,
	}
	if parameter != "" {
		body["parameter"] = parameter
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// refund serves POST /v3/refunds as YooKassa does for a one-stage payment: the payment must have
// succeeded, the amount be positive, in its currency and within what is left to refund; the
// refund succeeds at once and adds to the payment's refunded_amount. A repeated Idempotence-Key
// with the same body answers the same refund.
func (s *Server) refund(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotence-Key")
	if key == "" || len(key) > 64 {
		writeError(w, http.StatusBadRequest, "invalid_request", "Idempotence key is missing or too long", "Idempotence-Key")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "Cannot read request body", "")
		return
	}
	var req struct {
		PaymentID string          `json:"payment_id"`
		Amount    *amountJSON     `json:"amount"`
		Receipt   json.RawMessage `json:"receipt"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Amount == nil {
		writeError(w, http.StatusBadRequest, "invalid_request", "payment_id and amount are required", "amount")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, seen := s.refunds[key]; seen {
		if !bytes.Equal(prev.body, body) {
			writeError(w, http.StatusBadRequest, "invalid_request", "Idempotence key duplicated with different request parameters", "Idempotence-Key")
			return
		}
		writeJSON(w, http.StatusOK, prev.answer)
		return
	}
	p, ok := s.payments[req.PaymentID]
	if !ok {
		writeError(w, http.StatusBadRequest, "invalid_request", "Payment not found", "payment_id")
		return
	}
	cur, err := money.ParseCurrency(req.Amount.Currency)
	minor, perr := money.ParseDecimal(req.Amount.Value, cur)
	if err != nil || perr != nil || minor <= 0 || req.Amount.Currency != p.currency {
		writeError(w, http.StatusBadRequest, "invalid_request", "Invalid amount", "amount")
		return
	}
	total, _ := money.ParseDecimal(p.value, cur)
	if p.status != payments.Succeeded || minor > total-p.refundedMinor {
		writeError(w, http.StatusBadRequest, "invalid_request", "The refund amount exceeds what can be refunded", "amount.value")
		return
	}
	p.refundedMinor += minor
	if len(req.Receipt) > 0 {
		s.refundReceipts = append(s.refundReceipts, req.Receipt)
	}
	s.seq++
	answer := map[string]any{"id": fmt.Sprintf("%08x-0015-5000-9000-%012x", s.seq, s.seq), "payment_id": p.id, "status": "succeeded",
		"amount": amountJSON{Value: req.Amount.Value, Currency: req.Amount.Currency}, "created_at": s.now().UTC().Format(time.RFC3339)}
	s.refunds[key] = keyedRefund{body: body, answer: answer}
	writeJSON(w, http.StatusOK, answer)
}

type keyedRefund struct {
	body   []byte
	answer map[string]any
}

// Refunds counts the refunds made.
func (s *Server) Refunds() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.refunds)
}
