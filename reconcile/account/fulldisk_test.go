package account_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/account"
)

// TestSandboxOnFullDiskNamesTheCause keeps the sandbox state on a tmpfs of
// 256 KiB and fills it: the error names the full disk, not just WeChat's
// -1. It needs to mount a tmpfs (root on Linux) and is skipped otherwise.
func TestSandboxOnFullDiskNamesTheCause(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })
	state := filepath.Join(dir, "sandbox.json")
	spec := account.Spec{Sandbox: true, SandboxState: state}
	accounts := account.Open(spec)
	defer accounts.Close()
	api, err := accounts.Open(t.Context(), spec.Single("menus.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Fill the disk: write until the file system refuses.
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()

	err = api.DeleteMenu(t.Context()) // a change saves the state
	if err == nil {
		t.Fatal("DeleteMenu on a full disk succeeded; the test filled nothing")
	}
	if !strings.Contains(err.Error(), "no space left on device") {
		t.Errorf("error %q does not name the cause", err)
	}
}
