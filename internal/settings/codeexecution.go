package settings

import (
	"unicode/utf8"

	"github.com/steward-dev/steward/internal/errs"
)

// CodeExecutionKey is the section holding the code execution and code interpreter settings.
const CodeExecutionKey = "codeExecution"

// CodeEngine runs code: in the browser (Pyodide) or on a Jupyter server.
type CodeEngine string

// The code engines.
const (
	EnginePyodide CodeEngine = "PYODIDE"
	EngineJupyter CodeEngine = "JUPYTER"
)

// JupyterAuth is how Open WebUI authenticates to Jupyter.
type JupyterAuth string

// The Jupyter authentication kinds.
const (
	JupyterAuthNone     JupyterAuth = "NONE"
	JupyterAuthToken    JupyterAuth = "TOKEN"
	JupyterAuthPassword JupyterAuth = "PASSWORD"
)

// Jupyter is one Jupyter connection. Token and Password are write-only: never returned by the API.
type Jupyter struct {
	URL      string      `json:"url"`
	Auth     JupyterAuth `json:"auth"`
	Token    string      `json:"token,omitempty"`
	Password string      `json:"password,omitempty"`
	// Timeout is the execution timeout in seconds.
	Timeout int `json:"timeout"`
}

// TokenSet reports whether a token is stored.
func (j Jupyter) TokenSet() bool { return j.Token != "" }

// PasswordSet reports whether a password is stored.
func (j Jupyter) PasswordSet() bool { return j.Password != "" }

// CodeExecution holds Open WebUI's code execution (the "run" button on code blocks) and code
// interpreter (the model runs code itself) settings.
type CodeExecution struct {
	EnableCodeExecution           bool       `json:"enableCodeExecution"`
	CodeExecutionEngine           CodeEngine `json:"codeExecutionEngine"`
	CodeExecutionJupyter          Jupyter    `json:"codeExecutionJupyter"`
	EnableCodeInterpreter         bool       `json:"enableCodeInterpreter"`
	CodeInterpreterEngine         CodeEngine `json:"codeInterpreterEngine"`
	CodeInterpreterPromptTemplate string     `json:"codeInterpreterPromptTemplate"`
	CodeInterpreterJupyter        Jupyter    `json:"codeInterpreterJupyter"`
}

// DefaultCodeExecution is Open WebUI's default: both on, in the browser, 60 s Jupyter timeouts.
func DefaultCodeExecution() CodeExecution {
	j := Jupyter{Auth: JupyterAuthNone, Timeout: 60}
	return CodeExecution{
		EnableCodeExecution: true, CodeExecutionEngine: EnginePyodide, CodeExecutionJupyter: j,
		EnableCodeInterpreter: true, CodeInterpreterEngine: EnginePyodide, CodeInterpreterJupyter: j,
	}
}

// Validate checks both halves. A Jupyter connection is checked only where the engine is
// JUPYTER, so switching to Pyodide never fails on an unused, half-filled Jupyter form.
func (c CodeExecution) Validate() error {
	if err := validateEngine("codeExecution", c.CodeExecutionEngine, c.CodeExecutionJupyter); err != nil {
		return err
	}
	if err := validateEngine("codeInterpreter", c.CodeInterpreterEngine, c.CodeInterpreterJupyter); err != nil {
		return err
	}
	if utf8.RuneCountInString(c.CodeInterpreterPromptTemplate) > 100000 {
		return errs.Invalid("codeInterpreterPromptTemplate", "must be at most 100000 characters")
	}
	return nil
}

func validateEngine(prefix string, e CodeEngine, j Jupyter) error {
	switch e {
	case EnginePyodide, EngineJupyter:
	default:
		return errs.Invalid(prefix+"Engine", "must be PYODIDE or JUPYTER")
	}
	f := prefix + "Jupyter."
	switch j.Auth {
	case JupyterAuthNone, JupyterAuthToken, JupyterAuthPassword:
	default:
		return errs.Invalid(f+"auth", "must be NONE, TOKEN or PASSWORD")
	}
	if j.Timeout < 1 || j.Timeout > 3600 {
		return errs.Invalid(f+"timeout", "must be between 1 and 3600 seconds")
	}
	if len(j.Token) > 4096 || len(j.Password) > 4096 {
		return errs.Invalid(f+"token", "must be at most 4096 bytes")
	}
	if j.URL != "" {
		if err := validateHTTPURL(j.URL); err != nil {
			return errs.Invalid(f+"url", err.Error())
		}
	}
	if e != EngineJupyter {
		return nil
	}
	if j.URL == "" {
		return errs.Invalid(f+"url", "is required when the engine is JUPYTER")
	}
	if j.Auth == JupyterAuthToken && j.Token == "" {
		return errs.Invalid(f+"token", "is required when auth is TOKEN")
	}
	if j.Auth == JupyterAuthPassword && j.Password == "" {
		return errs.Invalid(f+"password", "is required when auth is PASSWORD")
	}
	return nil
}

func (c CodeExecution) masked() CodeExecution {
	c.CodeExecutionJupyter.Token, c.CodeExecutionJupyter.Password = "", ""
	c.CodeInterpreterJupyter.Token, c.CodeInterpreterJupyter.Password = "", ""
	return c
}

// keepSecrets fills missing tokens and passwords from old, so an import of a masked export keeps
// the stored secrets.
func (c CodeExecution) keepSecrets(old CodeExecution) CodeExecution {
	keep := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	keep(&c.CodeExecutionJupyter.Token, old.CodeExecutionJupyter.Token)
	keep(&c.CodeExecutionJupyter.Password, old.CodeExecutionJupyter.Password)
	keep(&c.CodeInterpreterJupyter.Token, old.CodeInterpreterJupyter.Token)
	keep(&c.CodeInterpreterJupyter.Password, old.CodeInterpreterJupyter.Password)
	return c
}

// JupyterPatch changes the fields that are set. A nil Token or Password keeps the stored one;
// an empty string removes it.
type JupyterPatch struct {
	URL      *string
	Auth     *JupyterAuth
	Token    *string
	Password *string
	Timeout  *int
}

func (p *JupyterPatch) apply(j Jupyter) Jupyter {
	if p == nil {
		return j
	}
	setIf(&j.URL, p.URL)
	setIf(&j.Auth, p.Auth)
	setIf(&j.Token, p.Token)
	setIf(&j.Password, p.Password)
	setIf(&j.Timeout, p.Timeout)
	return j
}

// CodeExecutionPatch changes the fields that are set and keeps the others.
type CodeExecutionPatch struct {
	EnableCodeExecution           *bool
	CodeExecutionEngine           *CodeEngine
	CodeExecutionJupyter          *JupyterPatch
	EnableCodeInterpreter         *bool
	CodeInterpreterEngine         *CodeEngine
	CodeInterpreterPromptTemplate *string
	CodeInterpreterJupyter        *JupyterPatch
}

func (p CodeExecutionPatch) apply(c CodeExecution) CodeExecution {
	setIf(&c.EnableCodeExecution, p.EnableCodeExecution)
	setIf(&c.CodeExecutionEngine, p.CodeExecutionEngine)
	c.CodeExecutionJupyter = p.CodeExecutionJupyter.apply(c.CodeExecutionJupyter)
	setIf(&c.EnableCodeInterpreter, p.EnableCodeInterpreter)
	setIf(&c.CodeInterpreterEngine, p.CodeInterpreterEngine)
	setIf(&c.CodeInterpreterPromptTemplate, p.CodeInterpreterPromptTemplate)
	c.CodeInterpreterJupyter = p.CodeInterpreterJupyter.apply(c.CodeInterpreterJupyter)
	return c
}
