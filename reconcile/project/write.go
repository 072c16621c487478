package project

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Marshal writes the project as a project file Load reads back to the
// same project. Comments of the original file are not kept.
func (p *Project) Marshal() []byte {
	var b strings.Builder
	q := func(s string) string { out, _ := json.Marshal(s); return string(out) }
	b.WriteString("# The accounts this repository manages; see the README, \"Many accounts\".\naccounts:\n")
	for _, a := range p.Accounts {
		fmt.Fprintf(&b, "  - name: %s\n    appid: %s\n    file: %s\n", a.Name, a.AppID, q(a.File))
		switch {
		case a.Platform:
			b.WriteString("    platform: true\n")
			if a.RefreshTokenEnv != "" {
				fmt.Fprintf(&b, "    refresh_token_env: %s\n", a.RefreshTokenEnv)
			}
		case len(a.TokenCommand) > 0:
			args := make([]string, len(a.TokenCommand))
			for i, arg := range a.TokenCommand {
				args[i] = q(arg)
			}
			fmt.Fprintf(&b, "    token_command: [%s]\n", strings.Join(args, ", "))
		default:
			fmt.Fprintf(&b, "    secret_env: %s\n", a.SecretEnv)
		}
		if a.Mode != "" && a.Mode != ModeEnforce {
			fmt.Fprintf(&b, "    mode: %s\n", a.Mode)
		}
	}
	if r := p.Rollout; r != nil {
		b.WriteString("rollout:\n  waves:\n")
		for _, w := range r.Waves {
			if w.Share > 0 {
				fmt.Fprintf(&b, "    - {name: %s, share: %s}\n", w.Name, strconv.FormatFloat(w.Share, 'f', -1, 64))
				continue
			}
			globs := make([]string, len(w.Accounts))
			for i, g := range w.Accounts {
				globs[i] = q(g)
			}
			fmt.Fprintf(&b, "    - {name: %s, accounts: [%s]}\n", w.Name, strings.Join(globs, ", "))
		}
	}
	if pl := p.Platform; pl != nil {
		fmt.Fprintf(&b, "platform:\n  component_appid: %s\n  component_secret_env: %s\n  verify_ticket_env: %s\n", pl.ComponentAppID, pl.ComponentSecretEnv, pl.VerifyTicketEnv)
	}
	return []byte(b.String())
}
