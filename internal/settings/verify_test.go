package settings

import (
	"net/netip"
	"testing"
)

func TestPublicAddr(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"8.8.8.8", true}, {"2606:4700::1111", true},
		{"127.0.0.1", false}, {"::1", false}, {"10.0.0.1", false}, {"172.16.5.4", false}, {"192.168.1.1", false},
		{"169.254.169.254", false}, {"fe80::1", false}, {"fc00::1", false}, {"100.64.0.1", false}, {"0.0.0.0", false},
		{"::ffff:127.0.0.1", false}, {"::ffff:8.8.8.8", true}, {"64:ff9b::a00:1", false}, {"64:ff9b::808:808", true},
		{"224.0.0.1", false}, {"255.255.255.255", false},
	}
	for _, tt := range tests {
		if got := publicAddr(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("publicAddr(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}

func TestParseRateRule(t *testing.T) {
	tests := []struct {
		in      string
		want    RateRule
		wantErr bool
	}{
		{"15/3m", RateRule{15, 180}, false}, {"0", RateRule{}, false}, {"off", RateRule{}, false},
		{"1200/1m", RateRule{1200, 60}, false}, {"5", RateRule{}, true}, {"5/100ms", RateRule{}, true}, {"x/1m", RateRule{}, true},
	}
	for _, tt := range tests {
		got, err := ParseRateRule(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRateRule(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
