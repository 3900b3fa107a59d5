package settings

import "errors"

// asErr is errors.As, named to keep the call sites short.
func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
