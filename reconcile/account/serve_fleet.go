package account

import (
	"fmt"
	"strings"

	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// addServeAccounts adds sandbox serve's --account and --platform to cfg.
func addServeAccounts(cfg *wechattest.Config, spec ServeSpec) error {
	for _, pair := range spec.Accounts {
		id, secret, ok := strings.Cut(pair, ":")
		if !ok || id == "" || secret == "" {
			return fail("use --account APPID:SECRET, e.g. --account wx1234567890abcdef:test-secret", "bad --account: want APPID:SECRET")
		}
		cfg.Accounts = append(cfg.Accounts, wechattest.AccountConfig{AppID: id, Secret: secret})
	}
	if spec.Platform != "" {
		id, secret, ok := strings.Cut(spec.Platform, ":")
		if !ok || id == "" || secret == "" {
			return fail("use --platform COMPONENT_APPID:COMPONENT_SECRET", "bad --platform: want COMPONENT_APPID:COMPONENT_SECRET")
		}
		cfg.Platform = &wechattest.PlatformConfig{ComponentAppID: id, ComponentSecret: secret}
	}
	return nil
}

func allEmpty(emu *wechattest.Emulator) bool {
	for _, id := range emu.AppIDs() {
		if m := emu.Account(id).Menus(); m.Default != nil || len(m.Conditional) > 0 {
			return false
		}
	}
	return true
}

// serveExtras words the further accounts and the platform for the
// announcement line (never a secret).
func serveExtras(spec ServeSpec) string {
	s := ""
	if n := len(spec.Accounts); n > 0 {
		s += fmt.Sprintf(" and %d more accounts", n)
	}
	if spec.Platform != "" {
		id, _, _ := strings.Cut(spec.Platform, ":")
		s += ", platform " + id + " (ticket: GET /_emulator/platform/ticket)"
	}
	return s
}
