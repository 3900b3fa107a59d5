// Package web holds the built admin console and GraphQL playground, so that the binary serves
// them without Node. The sources are beside this file; `npm run build` here rewrites dist/, which
// is committed, and .ci/run checks that a fresh build leaves it unchanged.
package web

import (
	"embed"
	"io/fs"
)

// all: keeps files whose names start with "_" or ".", which bundlers emit for some chunks.
//
//go:embed all:dist
var dist embed.FS

// Dist returns the built files rooted at dist/: index.html (the playground), admin/index.html
// (the console) and assets/ (content-hashed scripts, styles, fonts and workers).
func Dist() (fs.FS, error) {
	return fs.Sub(dist, "dist")
}
