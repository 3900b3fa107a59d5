package settings

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/steward-dev/steward/internal/errs"
)

// PromptSuggestionsKey is the section holding the suggestions shown on a new chat.
const PromptSuggestionsKey = "promptSuggestions"

// PromptSuggestion is one suggestion: a title of one or two lines (Open WebUI shows the second as
// a subtitle) and the prompt it fills in.
type PromptSuggestion struct {
	Title   []string `json:"title"`
	Content string   `json:"content"`
}

// PromptSuggestions is the ordered list of suggestions.
type PromptSuggestions []PromptSuggestion

// DefaultPromptSuggestions is empty: steward does not invent prompts for an operator.
func DefaultPromptSuggestions() PromptSuggestions { return PromptSuggestions{} }

// Validate checks each suggestion; fields are named "<index>.<field>".
func (ps PromptSuggestions) Validate() error {
	if len(ps) > 100 {
		return errs.Invalid("", "at most 100 suggestions")
	}
	for i, p := range ps {
		if len(p.Title) == 0 || len(p.Title) > 2 {
			return errs.Invalid(fmt.Sprintf("%d.title", i), "must hold one or two lines")
		}
		for j, t := range p.Title {
			if strings.TrimSpace(t) == "" || utf8.RuneCountInString(t) > 200 {
				return errs.Invalid(fmt.Sprintf("%d.title.%d", i, j), "must be 1 to 200 characters")
			}
		}
		if strings.TrimSpace(p.Content) == "" || utf8.RuneCountInString(p.Content) > 10000 {
			return errs.Invalid(fmt.Sprintf("%d.content", i), "must be 1 to 10000 characters")
		}
	}
	return nil
}

func (ps PromptSuggestions) normalized() PromptSuggestions {
	if ps == nil {
		return PromptSuggestions{}
	}
	return ps
}
