//go:build mage

package main

import (
	"context"
	"os"
	"os/exec"

	"github.com/magefile/mage/mg"
)

type Build mg.Namespace

// Clean removes what the build made.
func (Build) Clean(ctx context.Context) error {
	if err := exec.CommandContext(ctx, "go", "clean", "./...").Run(); err != nil {
		return err
	}
	return os.RemoveAll("dist")
}
