package metrics

import "github.com/prometheus/client_golang/prometheus"

// ExternalSignins counts sign-ins through identity providers (OpenID Connect, LDAP, trusted
// headers) by method and outcome: "ok", or the refusal's reason (internal/externalauth), or
// "error". Both labels take a handful of fixed values.
type ExternalSignins struct{ c *prometheus.CounterVec }

// NewExternalSignins creates steward_external_signins_total and registers it in reg.
func NewExternalSignins(reg prometheus.Registerer) (*ExternalSignins, error) {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "steward_external_signins_total",
		Help: "Sign-ins through identity providers, by method (oidc, ldap, header) and outcome (ok or the refusal's reason).",
	}, []string{"method", "outcome"})
	if err := reg.Register(c); err != nil {
		return nil, err
	}
	return &ExternalSignins{c: c}, nil
}

// Observe counts one sign-in.
func (e *ExternalSignins) Observe(method, outcome string) {
	if e != nil {
		e.c.WithLabelValues(method, outcome).Inc()
	}
}
