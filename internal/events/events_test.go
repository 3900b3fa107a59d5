package events

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
)

type usage struct {
	UserID string `json:"userId"`
	Tokens int    `json:"tokens"`
}

func TestEncode(t *testing.T) {
	tests := []struct {
		name        string
		v           any
		wantPayload string
		wantErr     bool
	}{
		{name: "struct", v: usage{UserID: "u1", Tokens: 3}, wantPayload: `{"userId":"u1","tokens":3}`},
		{name: "nil", v: nil, wantPayload: `null`},
		{name: "unencodable", v: math.Inf(1), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Encode("usage", "u1", tt.v)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Encode() error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			if got.Topic != "usage" || got.Key != "u1" || got.Dropped != 0 {
				t.Errorf("Encode() = %+v, want topic usage, key u1, no Dropped", got)
			}
			if string(got.Payload) != tt.wantPayload {
				t.Errorf("Encode() payload = %s, want %s", got.Payload, tt.wantPayload)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name        string
		e           Event
		want        usage
		wantErr     bool
		wantDropped bool
	}{
		{
			name: "payload",
			e:    Event{Topic: "usage", Payload: json.RawMessage(`{"userId":"u1","tokens":3}`)},
			want: usage{UserID: "u1", Tokens: 3},
		},
		{name: "drop notice", e: Event{Topic: "usage", Dropped: 2}, wantErr: true, wantDropped: true},
		{name: "no payload", e: Event{Topic: "usage"}, wantErr: true},
		{name: "wrong shape", e: Event{Topic: "usage", Payload: json.RawMessage(`[1]`)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode[usage](tt.e)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Decode() error = %v, want error %v", err, tt.wantErr)
			}
			if gotDropped := errors.Is(err, ErrDropped); gotDropped != tt.wantDropped {
				t.Errorf("errors.Is(err, ErrDropped) = %v, want %v (err %v)", gotDropped, tt.wantDropped, err)
			}
			if got != tt.want {
				t.Errorf("Decode() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	want := usage{UserID: "u2", Tokens: 42}
	e, err := Encode("usage", want.UserID, want)
	if err != nil {
		t.Fatalf("Encode() error = %v", err)
	}
	got, err := Decode[usage](e)
	if err != nil {
		t.Fatalf("Decode() error = %v", err)
	}
	if got != want {
		t.Errorf("Decode(Encode(v)) = %+v, want %+v", got, want)
	}
}

func TestEventValidate(t *testing.T) {
	tests := []struct {
		name    string
		e       Event
		wantErr bool
	}{
		{name: "payload", e: Event{Topic: "usage", Payload: json.RawMessage(`{"a":1}`)}},
		{name: "no payload", e: Event{Topic: "usage"}},
		{name: "no topic", e: Event{Payload: json.RawMessage(`1`)}, wantErr: true},
		{name: "dropped set", e: Event{Topic: "usage", Dropped: 1}, wantErr: true},
		{name: "invalid JSON", e: Event{Topic: "usage", Payload: json.RawMessage(`{`)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.e.validate()
			if (err != nil) != tt.wantErr {
				t.Errorf("validate() error = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
