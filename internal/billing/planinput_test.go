package billing

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/steward-dev/steward/ent"
	"github.com/steward-dev/steward/ent/plan"
	"github.com/steward-dev/steward/internal/errs"
	"github.com/steward-dev/steward/internal/metric"
)

func ptr[T any](v T) *T { return &v }

// wantInvalid fails unless err is BAD_USER_INPUT on field.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != errs.CodeBadUserInput || e.Field != field {
		t.Fatalf("error = %v, want BAD_USER_INPUT on %q", err, field)
	}
	if e.Message == "" {
		t.Fatalf("BAD_USER_INPUT on %q without a message", field)
	}
}

func TestPlanInputValidate(t *testing.T) {
	valid := func() PlanInput { return PlanInput{Name: "Pro", Price: "19.99", Currency: "USD"} }
	tests := []struct {
		name  string
		edit  func(*PlanInput)
		field string // empty: valid
	}{
		{"minimal", func(*PlanInput) {}, ""},
		{"free plan", func(in *PlanInput) { in.Price = "0" }, ""},
		{"yen has no fraction", func(in *PlanInput) { in.Price, in.Currency = "500", "JPY" }, ""},
		{"every field", func(in *PlanInput) {
			in.ID, in.Description, in.Interval = ptr("pro.v2"), ptr("  More  "), ptr(plan.IntervalYEAR)
			in.Translations = []Translation{{Locale: "pt-BR", Name: "Pró"}, {Locale: "ru", Description: "Больше"}}
			in.Quotas = []Quota{{Metric: metric.Requests, Limit: 0}, {Metric: metric.TokensInput, Limit: metric.MaxTotal}}
			in.Features, in.DisplayOrder, in.Metadata = []string{"a", "b"}, ptr(0), map[string]any{"tier": 2}
		}, ""},
		{"empty id means generated", func(in *PlanInput) { in.ID = ptr("") }, ""},
		{"blank name", func(in *PlanInput) { in.Name = " \t " }, "name"},
		{"name of 256 characters", func(in *PlanInput) { in.Name = strings.Repeat("я", 256) }, "name"},
		{"name of 255 characters", func(in *PlanInput) { in.Name = strings.Repeat("я", 255) }, ""},
		{"invalid UTF-8 name", func(in *PlanInput) { in.Name = "\xff" }, "name"},
		{"long description", func(in *PlanInput) { in.Description = ptr(strings.Repeat("d", maxDescLen+1)) }, "description"},
		{"unknown currency", func(in *PlanInput) { in.Currency = "XXX" }, "currency"},
		{"negative price", func(in *PlanInput) { in.Price = "-1" }, "price"},
		{"decimal comma", func(in *PlanInput) { in.Price = "1,50" }, "price"},
		{"too many fraction digits for the currency", func(in *PlanInput) { in.Price = "1.001" }, "price"},
		{"fraction digits in yen", func(in *PlanInput) { in.Price, in.Currency = "1.5", "JPY" }, "price"},
		{"price at the maximum", func(in *PlanInput) { in.Price = "1000000000" }, ""},
		{"price above the maximum", func(in *PlanInput) { in.Price = "1000000000.01" }, "price"},
		{"unknown interval", func(in *PlanInput) { in.Interval = ptr(plan.Interval("FORTNIGHT")) }, "interval"},
		{"lower-case interval", func(in *PlanInput) { in.Interval = ptr(plan.Interval("month")) }, "interval"},
		{"bad locale", func(in *PlanInput) { in.Translations = []Translation{{Locale: "Russian", Name: "x"}} }, "translations.0.locale"},
		{"locale twice", func(in *PlanInput) {
			in.Translations = []Translation{{Locale: "de", Name: "x"}, {Locale: "de", Name: "y"}}
		}, "translations.1.locale"},
		{"empty translation", func(in *PlanInput) { in.Translations = []Translation{{Locale: "de", Name: " "}} }, "translations.0.name"},
		{"too many translations", func(in *PlanInput) {
			for i := range maxTranslations + 1 {
				in.Translations = append(in.Translations, Translation{Locale: "x" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Name: "n"})
			}
		}, "translations"},
		{"unknown metric", func(in *PlanInput) { in.Quotas = []Quota{{Metric: "BOGUS", Limit: 1}} }, "quotas"},
		{"negative quota", func(in *PlanInput) { in.Quotas = []Quota{{Metric: metric.Images, Limit: -1}} }, "quotas"},
		{"quota above the counter's maximum", func(in *PlanInput) { in.Quotas = []Quota{{Metric: metric.Images, Limit: metric.MaxTotal + 1}} }, "quotas"},
		{"metric twice", func(in *PlanInput) {
			in.Quotas = []Quota{{Metric: metric.Images, Limit: 1}, {Metric: metric.Images, Limit: 2}}
		}, "quotas"},
		{"blank feature", func(in *PlanInput) { in.Features = []string{"ok", "  "} }, "features"},
		{"too many features", func(in *PlanInput) { in.Features = make([]string, maxFeatures+1) }, "features"},
		{"negative display order", func(in *PlanInput) { in.DisplayOrder = ptr(-1) }, "displayOrder"},
		{"metadata too large", func(in *PlanInput) { in.Metadata = map[string]any{"x": strings.Repeat("m", maxMetadataJSON)} }, "metadata"},
		{"metadata that is no JSON", func(in *PlanInput) { in.Metadata = map[string]any{"f": func() {}} }, "metadata"},
		{"id with a space", func(in *PlanInput) { in.ID = ptr("has space") }, "id"},
		{"id starting with a dot", func(in *PlanInput) { in.ID = ptr(".pro") }, "id"},
		{"id of 65 characters", func(in *PlanInput) { in.ID = ptr(strings.Repeat("a", 65)) }, "id"},
		// The first field at fault is reported, in the order the API always used.
		{"name before price", func(in *PlanInput) { in.Name, in.Price = "", "-1" }, "name"},
		{"currency before price", func(in *PlanInput) { in.Currency, in.Price = "usd", "-1" }, "currency"},
		{"price before quotas", func(in *PlanInput) { in.Price, in.Quotas = "x", []Quota{{Metric: "BOGUS"}} }, "price"},
		{"display order before id", func(in *PlanInput) { in.DisplayOrder, in.ID = ptr(-1), ptr("!") }, "displayOrder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.edit(&in)
			err := in.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantInvalid(t, err, tt.field)
		})
	}
}

func TestPlanInputDefaultsAndNormalisation(t *testing.T) {
	np, err := PlanInput{Name: "  Pro ", Price: "19.9", Currency: "USD", Features: []string{" fast "}}.parse()
	if err != nil {
		t.Fatal(err)
	}
	if np.name != "Pro" || np.price != 1990 || np.interval != plan.IntervalMONTH || !np.active || np.displayOrder != 0 || np.id != "" {
		t.Errorf("parse = %+v; want trimmed name, 1990 minor units, MONTH, active, order 0, generated id", np)
	}
	if len(np.features) != 1 || np.features[0] != "fast" {
		t.Errorf("features = %q, want [fast]", np.features)
	}
}

func TestPlanUpdateValidate(t *testing.T) {
	tests := []struct {
		name  string
		in    PlanUpdate
		field string
	}{
		{"nothing", PlanUpdate{}, ""},
		{"empty lists clear", PlanUpdate{Translations: []Translation{}, Features: []string{}, Quotas: []Quota{}}, ""},
		{"price alone is checked later, against the plan's currency", PlanUpdate{Price: ptr("1.5")}, ""},
		{"price with currency", PlanUpdate{Price: ptr("1.5"), Currency: ptr("EUR")}, ""},
		{"price with a currency it does not fit", PlanUpdate{Price: ptr("1.5"), Currency: ptr("JPY")}, "price"},
		{"currency alone", PlanUpdate{Currency: ptr("RUB")}, ""},
		{"blank name", PlanUpdate{Name: ptr("")}, "name"},
		{"empty description is allowed", PlanUpdate{Description: ptr("")}, ""},
		{"unknown currency", PlanUpdate{Currency: ptr("ZZZ")}, "currency"},
		{"bad translation", PlanUpdate{Translations: []Translation{{Locale: "EN", Name: "x"}}}, "translations.0.locale"},
		{"blank feature", PlanUpdate{Features: []string{""}}, "features"},
		{"negative display order", PlanUpdate{DisplayOrder: ptr(-2)}, "displayOrder"},
		{"metadata too large", PlanUpdate{Metadata: map[string]any{"x": strings.Repeat("m", maxMetadataJSON)}}, "metadata"},
		{"negative quota", PlanUpdate{Quotas: []Quota{{Metric: metric.Requests, Limit: -1}}}, "quotas"},
		{"unknown interval", PlanUpdate{Interval: ptr(plan.Interval("HOUR"))}, "interval"},
		{"name before quotas", PlanUpdate{Name: ptr(" "), Quotas: []Quota{{Metric: "X"}}}, "name"},
		{"quotas before interval", PlanUpdate{Quotas: []Quota{{Metric: "X"}}, Interval: ptr(plan.Interval("X"))}, "quotas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantInvalid(t, err, tt.field)
		})
	}
}

// stored is a plan as it comes from the database.
func stored() *ent.Plan {
	return &ent.Plan{ID: "pro", Name: "Pro", Description: "d", PriceMinor: 1999, Currency: "USD",
		Interval: plan.IntervalMONTH, DisplayOrder: 3, IsActive: true,
		Quotas: map[string]int64{"TOKENS_INPUT": 1000, "REQUESTS": 10}}
}

func TestPlanEditAgainstStoredPlan(t *testing.T) {
	tests := []struct {
		name        string
		in          PlanUpdate
		wantChanged []string // audit change keys, sorted (a new price or interval is a new price version)
		wantCut     string   // the metric of the lowered quota
		wantIntv    bool     // the interval changes
		wantField   string   // a refusal
	}{
		{name: "values equal to the stored ones change nothing", in: PlanUpdate{
			Name: ptr(" Pro "), Description: ptr("d"), Price: ptr("19.99"), Currency: ptr("USD"),
			Interval: ptr(plan.IntervalMONTH), IsActive: ptr(true), DisplayOrder: ptr(3)}},
		{name: "rename", in: PlanUpdate{Name: ptr("Pro+")}, wantChanged: []string{"name"}},
		{name: "price in the plan's currency", in: PlanUpdate{Price: ptr("25")}, wantChanged: []string{"price", "priceVersion"}},
		{name: "price with too many digits for the plan's currency", in: PlanUpdate{Price: ptr("1.001")}, wantField: "price"},
		{name: "currency whose digits fit the current price", in: PlanUpdate{Currency: ptr("EUR")}, wantChanged: []string{"price", "priceVersion"}},
		{name: "currency the current price does not fit", in: PlanUpdate{Currency: ptr("JPY")}, wantField: "price"},
		{name: "currency with a new price", in: PlanUpdate{Currency: ptr("JPY"), Price: ptr("3000")}, wantChanged: []string{"price", "priceVersion"}},
		{name: "lists given are written as replacements", in: PlanUpdate{Features: []string{}, Translations: []Translation{}, Metadata: map[string]any{}},
			wantChanged: []string{"features", "metadata", "translations"}},
		{name: "raising quotas cuts nothing", in: PlanUpdate{Quotas: []Quota{{metric.TokensInput, 2000}, {metric.Requests, 10}}}, wantChanged: []string{"quotas"}},
		{name: "dropping a metric makes it unlimited", in: PlanUpdate{Quotas: []Quota{{metric.TokensInput, 1000}}}, wantChanged: []string{"quotas"}},
		{name: "adding a metric is not a cut", in: PlanUpdate{Quotas: []Quota{{metric.TokensInput, 1000}, {metric.Requests, 10}, {metric.Images, 0}}},
			wantChanged: []string{"quotas"}},
		{name: "lowering by one is a cut", in: PlanUpdate{Quotas: []Quota{{metric.TokensInput, 999}, {metric.Requests, 10}}},
			wantChanged: []string{"quotas"}, wantCut: "TOKENS_INPUT"},
		{name: "the first cut in display order is reported", in: PlanUpdate{Quotas: []Quota{{metric.Requests, 1}, {metric.TokensInput, 1}}},
			wantChanged: []string{"quotas"}, wantCut: "TOKENS_INPUT"},
		{name: "interval", in: PlanUpdate{Interval: ptr(plan.IntervalYEAR)}, wantChanged: []string{"interval", "priceVersion"}, wantIntv: true},
		{name: "deactivation", in: PlanUpdate{IsActive: ptr(false)}, wantChanged: []string{"isActive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edit, err := tt.in.parse()
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			change, err := edit.against(stored())
			if tt.wantField != "" {
				wantInvalid(t, err, tt.wantField)
				return
			}
			if err != nil {
				t.Fatalf("against: %v", err)
			}
			if got := strings.Join(sortedChangeKeys(change.changes), ","); got != strings.Join(tt.wantChanged, ",") {
				t.Errorf("changed = %s, want %s", got, strings.Join(tt.wantChanged, ","))
			}
			gotCut := ""
			if change.cut != nil {
				gotCut = string(change.cut.Metric)
			}
			if gotCut != tt.wantCut {
				t.Errorf("cut = %q, want %q", gotCut, tt.wantCut)
			}
			if (change.newInterval != nil) != tt.wantIntv {
				t.Errorf("interval change = %v, want %v", change.newInterval, tt.wantIntv)
			}
		})
	}
}

func TestPlanEditPriceChangeIsAuditedInBothCurrencies(t *testing.T) {
	edit, err := PlanUpdate{Currency: ptr("EUR"), Price: ptr("20")}.parse()
	if err != nil {
		t.Fatal(err)
	}
	change, err := edit.against(stored())
	if err != nil {
		t.Fatal(err)
	}
	if got := change.changes["price"]; got.Old != "19.99 USD" || got.New != "20.00 EUR" {
		t.Errorf("price change = %+v, want 19.99 USD -> 20.00 EUR", got)
	}
}

func TestSubscriberTermsRule(t *testing.T) {
	year := plan.IntervalYEAR
	cut := &quotaCut{Metric: metric.Requests, Old: 10, New: 5}
	tests := []struct {
		name   string
		live   int
		change planChange
		want   errs.Code // empty: allowed
		msg    string
	}{
		{"cut without subscribers", 0, planChange{cut: cut}, "", ""},
		{"interval without subscribers", 0, planChange{newInterval: &year}, "", ""},
		{"cut with one subscriber", 1, planChange{cut: cut}, errs.CodeConflict, "cannot lower the REQUESTS quota from 10 to 5: 1 live subscription(s)"},
		{"interval with subscribers", 3, planChange{newInterval: &year}, errs.CodeConflict, "cannot change the interval from MONTH to YEAR: 3 live subscription(s)"},
		{"the cut is reported before the interval", 2, planChange{cut: cut, newInterval: &year}, errs.CodeConflict, "cannot lower the REQUESTS quota"},
		{"other changes with subscribers", 5, planChange{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := subscriberTermsRule(tt.live, plan.IntervalMONTH, tt.change)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("rule = %v, want allowed", err)
				}
				return
			}
			if errs.CodeOf(err) != tt.want || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("rule = %v (%s), want %s containing %q", err, errs.CodeOf(err), tt.want, tt.msg)
			}
		})
	}
	e, _ := errs.As(subscriberTermsRule(1, plan.IntervalMONTH, planChange{cut: cut}))
	if e.Extra["metric"] != "REQUESTS" || e.Extra["oldLimit"] != int64(10) || e.Extra["newLimit"] != int64(5) {
		t.Errorf("extensions = %v, want metric, oldLimit and newLimit", e.Extra)
	}
}

func sortedChangeKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
