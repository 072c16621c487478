package account_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// TestProjectSandboxJournal: a change in a project's sandbox goes to the
// journal beside the state file, Close folds it into the file, and
// sandbox reset removes both.
func TestProjectSandboxJournal(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state", "sandbox.json")
	src := "accounts:\n" +
		"  - {name: a, appid: wx00000000000000b1, file: a.yaml, platform: true}\n" +
		"  - {name: b, appid: wx00000000000000b2, file: a.yaml, platform: true}\n" +
		"platform: {component_appid: " + fleetComponent + ", component_secret_env: CS, verify_ticket_env: VT}\n"
	p, err := project.Parse(filepath.Join(dir, "wxmenu.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	spec := account.Spec{Sandbox: true, SandboxState: state, Project: p}
	opener := account.Open(spec)
	api, err := opener.Open(t.Context(), p.Accounts[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := api.DeleteMenu(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(wechattest.JournalPath(state)); err != nil {
		t.Errorf("the change left no journal: %v", err)
	}
	opener.Close()
	if _, err := os.Stat(wechattest.JournalPath(state)); !os.IsNotExist(err) {
		t.Errorf("Close left the journal: %v", err)
	}
	emu, err := wechattest.Load(state, wechattest.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := emu.Account(p.Accounts[0].AppID).Menus(), emu.Account(p.Accounts[1].AppID).Menus(); a.Default != nil || b.Default == nil {
		t.Errorf("state file after Close: account a %+v (want no menu), b %+v (want the demo menus)", a, b)
	}

	if err := os.WriteFile(wechattest.JournalPath(state), []byte("left over\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := account.ResetSandbox(state); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(wechattest.JournalPath(state)); !os.IsNotExist(err) {
		t.Errorf("sandbox reset left the journal: %v", err)
	}
}
