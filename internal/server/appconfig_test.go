package server_test

import (
	"strings"
	"testing"

	"github.com/steward-dev/steward/internal/db/dbtest"
	st "github.com/steward-dev/steward/internal/servertest"
)

const appConfigQuery = `{ appConfig { name defaultLocale onboarding
	signInMethods { password signupEnabled providers { id } ldap }
	adminContact { name email }
	chat { defaultModels defaultPinnedModels modelOrderList promptSuggestions { title content } banners { id content } } } }`

// TestAppConfigForEachCaller: the front end's configuration is public, with the admin contact for
// signed-in callers when SHOW_ADMIN_DETAILS is on and the chat defaults for verified users only;
// nothing secret or admin-only reaches anonymous or pending callers.
func TestAppConfigForEachCaller(t *testing.T) {
	st.ForEachBackend(t, func(t *testing.T, b dbtest.Backend) {
		s := st.New(t, b, st.WithEnv(map[string]string{"WEBUI_NAME": "Acme AI", "DEFAULT_LOCALE": "de-DE"}))
		d := s.MustQuery(t, "", appConfigQuery)
		if st.Get(d, "appConfig.name") != "Acme AI" || st.Get(d, "appConfig.defaultLocale") != "de-DE" ||
			st.Get(d, "appConfig.onboarding") != true || st.Get(d, "appConfig.signInMethods.signupEnabled") != true {
			t.Fatalf("before the first account: %v", d)
		}

		admin := s.Signup(t, "Ada")
		setSecrets(t, s, admin.Token)
		s.MustQuery(t, admin.Token, `mutation { updateModelsConfig(input: {defaultModels: ["gpt-4o"], defaultPinnedModels: ["llama3"], modelOrderList: ["llama3", "gpt-4o"]}) { defaultModels } }`)
		s.MustQuery(t, admin.Token, `mutation { setPromptSuggestions(suggestions: [{title: ["Plan", "a trip"], content: "Plan a trip to Rome"}]) { content } }`)
		s.MustQuery(t, admin.Token, `mutation { setBanners(banners: [{id: "b1", type: INFO, content: "Maintenance tonight"}]) { id } }`)
		pending := s.Signup(t, "Pat")
		user := s.Signup(t, "Uma")
		s.SetRole(t, user.ID, "USER")

		anon := s.Query(t, "", appConfigQuery)
		if len(anon.Errors) > 0 || st.Get(anon.Data, "appConfig.onboarding") != false ||
			st.Get(anon.Data, "appConfig.adminContact") != nil || st.Get(anon.Data, "appConfig.chat") != nil {
			t.Fatalf("anonymous: %s", anon.Raw)
		}
		pend := s.Query(t, pending.Token, appConfigQuery)
		if len(pend.Errors) > 0 || st.Get(pend.Data, "appConfig.adminContact.email") != admin.Email ||
			st.Get(pend.Data, "appConfig.adminContact.name") != "Ada" || st.Get(pend.Data, "appConfig.chat") != nil {
			t.Fatalf("pending: %s", pend.Raw)
		}
		for who, raw := range map[string]string{"anonymous": anon.Raw, "pending": pend.Raw} {
			noSecrets(t, who, raw)
			for _, adminOnly := range []string{"gpt-4o", "Maintenance", "Rome", "jupyter", "tools.example.com", pending.Email} {
				if strings.Contains(raw, adminOnly) {
					t.Errorf("%s sees %q: %s", who, adminOnly, raw)
				}
			}
		}

		ver := s.MustQuery(t, user.Token, appConfigQuery)
		if st.Get(ver, "appConfig.chat.defaultModels.0") != "gpt-4o" || st.Get(ver, "appConfig.chat.defaultPinnedModels.0") != "llama3" ||
			st.Get(ver, "appConfig.chat.modelOrderList.1") != "gpt-4o" || st.Get(ver, "appConfig.chat.promptSuggestions.0.content") != "Plan a trip to Rome" ||
			st.Get(ver, "appConfig.chat.banners.0.content") != "Maintenance tonight" {
			t.Fatalf("verified user: %v", ver)
		}
		noSecrets(t, "verified user", toString(ver))

		// SHOW_ADMIN_DETAILS off: nobody is told whom to ask.
		s.MustQuery(t, admin.Token, `mutation { updateAuthConfig(input: {showAdminDetails: false, enableSignup: false}) { showAdminDetails } }`)
		d = s.MustQuery(t, pending.Token, appConfigQuery)
		if st.Get(d, "appConfig.adminContact") != nil || st.Get(d, "appConfig.signInMethods.signupEnabled") != false {
			t.Fatalf("with admin details and sign-up off: %v", d)
		}

		// The admin changes the name and language; bad values change nothing.
		wantInvalid(t, s.Query(t, admin.Token, `mutation { updateUIConfig(input: {defaultLocale: "not a locale"}) { name } }`), "defaultLocale")
		wantInvalid(t, s.Query(t, admin.Token, `mutation { updateUIConfig(input: {name: "  "}) { name } }`), "name")
		s.MustQuery(t, admin.Token, `mutation { updateUIConfig(input: {name: "Acme Chat", defaultLocale: ""}) { name } }`)
		d = s.MustQuery(t, "", `{ appConfig { name defaultLocale } }`)
		if st.Get(d, "appConfig.name") != "Acme Chat" || st.Get(d, "appConfig.defaultLocale") != "" {
			t.Fatalf("after updateUIConfig: %v", d)
		}
		if n := configAuditCount(t, s, "ui"); n != 1 {
			t.Fatalf("audit entries for ui = %d, want 1", n)
		}
	})
}
