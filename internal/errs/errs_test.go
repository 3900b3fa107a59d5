package errs

import "testing"

func TestInvalidDoesNotRepeatTheField(t *testing.T) {
	cases := []struct {
		name, field, msg, wantMessage, wantError string
	}{
		{"message naming the field", "amount", "amount must be positive", "must be positive", "amount: must be positive"},
		{"message without the field", "passwordMinLength", "must be between 8 and 128", "must be between 8 and 128", "passwordMinLength: must be between 8 and 128"},
		{"nested field, last name repeated", "openai.0.url", "url must be absolute", "must be absolute", "openai.0.url: must be absolute"},
		{"word that only starts like the field", "to", "tomorrow is too late", "tomorrow is too late", "to: tomorrow is too late"},
		{"no field", "", "at most 50 banners", "at most 50 banners", "at most 50 banners"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Invalid(c.field, c.msg)
			if e.Message != c.wantMessage {
				t.Errorf("Message = %q, want %q", e.Message, c.wantMessage)
			}
			if e.Error() != c.wantError {
				t.Errorf("Error() = %q, want %q", e.Error(), c.wantError)
			}
		})
	}
}
