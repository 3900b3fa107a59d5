package settings

import (
	"reflect"
	"testing"
)

func TestOpenAIConnectionsFromEnv(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want []OpenAIConnection
	}{
		{name: "none", env: map[string]string{}},
		{name: "paired by position", env: map[string]string{"OPENAI_API_BASE_URLS": "http://a/v1; http://b/v1", "OPENAI_API_KEYS": "ka;kb"},
			want: []OpenAIConnection{{ID: "openai-0", URL: "http://a/v1", Key: "ka", Enabled: true}, {ID: "openai-1", URL: "http://b/v1", Key: "kb", Enabled: true}}},
		{name: "fewer keys", env: map[string]string{"OPENAI_API_BASE_URLS": "http://a/v1;http://b/v1", "OPENAI_API_KEYS": "ka"},
			want: []OpenAIConnection{{ID: "openai-0", URL: "http://a/v1", Key: "ka", Enabled: true}, {ID: "openai-1", URL: "http://b/v1", Enabled: true}}},
		{name: "single variables", env: map[string]string{"OPENAI_API_BASE_URL": "http://a/v1", "OPENAI_API_KEY": "k"},
			want: []OpenAIConnection{{ID: "openai-0", URL: "http://a/v1", Key: "k", Enabled: true}}},
		{name: "a key alone is OpenAI's API", env: map[string]string{"OPENAI_API_KEY": "k"},
			want: []OpenAIConnection{{ID: "openai-0", URL: "https://api.openai.com/v1", Key: "k", Enabled: true}}},
		{name: "disabled", env: map[string]string{"OPENAI_API_BASE_URL": "http://a/v1", "ENABLE_OPENAI_API": "false"},
			want: []OpenAIConnection{{ID: "openai-0", URL: "http://a/v1"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := SeedsFromEnv(func(k string) string { return c.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Connections.OpenAI, c.want) {
				t.Errorf("got %+v, want %+v", s.Connections.OpenAI, c.want)
			}
		})
	}
}

func TestConnectionsKeepKeysAndMaskThem(t *testing.T) {
	stored := Connections{OpenAI: []OpenAIConnection{{ID: "a", URL: "http://a", Key: "ka", Enabled: true}}}
	key := ""
	id := "a"
	next := ConnectionsPatch{OpenAI: &[]OpenAIConnectionInput{{ID: &id, URL: "http://a2"}, {URL: "http://b", Key: &key}}}.apply(stored)
	if next.OpenAI[0].Key != "ka" || next.OpenAI[0].URL != "http://a2" || next.OpenAI[1].ID != "openai-1" || next.OpenAI[1].Key != "" || !next.OpenAI[1].Enabled {
		t.Errorf("patched %+v", next.OpenAI)
	}
	if m := next.masked(); m.OpenAI[0].Key != "" || next.OpenAI[0].Key != "ka" {
		t.Errorf("masked %+v, original %+v", m.OpenAI, next.OpenAI)
	}
	imported := Connections{OpenAI: []OpenAIConnection{{ID: "a", URL: "http://a"}}}.keepSecrets(stored)
	if imported.OpenAI[0].Key != "ka" {
		t.Errorf("an import without the key lost it: %+v", imported.OpenAI)
	}
	bad := Connections{OpenAI: []OpenAIConnection{{ID: "a", URL: "http://a"}, {ID: "a", URL: "http://b"}}}
	if err := bad.Validate(); err == nil || err.Error() != "openai.1.id: is used by another connection" {
		t.Errorf("duplicate ids: %v", err)
	}
}
