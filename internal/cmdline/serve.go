package cmdline

import (
	"github.com/urfave/cli/v2"

	"github.com/wxmenu/wxmenu/reconcile/account"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

// ServeFlags are the flags of `wxmenu sandbox serve`. They are no global
// flags: serve is the emulator, not a client of an account, and its
// credentials never come from WECHAT_* variables (which may hold a real
// account's secret).
func ServeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "addr", Usage: "listen on `HOST:PORT` (loopback only)", Value: "127.0.0.1:8808"},
		&cli.StringFlag{Name: "appid", Usage: "the `APPID` the emulator accepts", Value: wechattest.DefaultAppID},
		&cli.StringFlag{Name: "secret", Usage: "the app `SECRET` the emulator accepts (default: the documented sandbox secret)"},
		&cli.StringFlag{Name: "state", Usage: "load and save the emulator state in `FILE`"},
		&cli.BoolFlag{Name: "demo", Usage: "seed the demo account when the state is empty"},
		&cli.StringFlag{Name: "addr-file", Usage: "write the address actually listened on to `FILE` (useful with port 0)"},
		&cli.StringSliceFlag{Name: "quota", Usage: "set a daily quota, `ENDPOINT=N` (e.g. menu/delconditional=0); repeatable"},
		&cli.IntFlag{Name: "max-conditional", Usage: "the conditional-menu cap, `N` (65305 past it)", Value: wechat.DefaultMaxConditional},
		&cli.StringSliceFlag{Name: "account", Usage: "serve a further account `APPID:SECRET`; repeatable"},
		&cli.StringFlag{Name: "platform", Usage: "be the third-party platform `COMPONENT_APPID:COMPONENT_SECRET` of every account"},
	}
}

// ServeSpec is the emulator ServeFlags describe.
func ServeSpec(c *cli.Context) account.ServeSpec {
	return account.ServeSpec{
		Addr: c.String("addr"), AppID: c.String("appid"), Secret: c.String("secret"),
		StatePath: c.String("state"), Demo: c.Bool("demo"), AddrFile: c.String("addr-file"),
		Quotas: c.StringSlice("quota"), MaxConditional: c.Int("max-conditional"),
		Accounts: c.StringSlice("account"), Platform: c.String("platform"),
	}
}
