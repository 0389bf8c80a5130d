//go:build mage

package main

import (
	"context"
	"os/exec"
	"strings"

	"github.com/magefile/mage/mg"
)

type Release mg.Namespace

// Xgo cross-compiles the project for one target.
func (Release) Xgo(ctx context.Context, name, target string) error {
	parts := strings.Split(target, "/")
	cmd := exec.CommandContext(ctx, "xgo", "-targets", parts[0]+"/"+parts[1], "-out", name, ".")
	cmd.Dir = ".."
	return cmd.Run()
}
