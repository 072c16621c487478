package project

import (
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Marshal writes the project as a project file Load reads back to the
// same project: its templates, the accounts it lists itself (those of its
// generators stay theirs: accounts_from: is written as it was given), the
// platform and the audit log. Comments of the original file are not kept.
func (p *Project) Marshal() []byte {
	var b strings.Builder
	q := func(s string) string { out, _ := json.Marshal(s); return string(out) }
	list := func(items []string) string {
		quoted := make([]string, len(items))
		for i, s := range items {
			quoted[i] = q(s)
		}
		return "[" + strings.Join(quoted, ", ") + "]"
	}
	b.WriteString("# The accounts this repository manages; see the README, \"Many accounts\".\n")
	if len(p.Templates) > 0 {
		b.WriteString("templates:\n")
		for _, t := range p.Templates {
			fmt.Fprintf(&b, "  %s: %s\n", t.Name, q(t.File))
		}
	}
	b.WriteString("accounts:\n")
	for _, a := range p.Accounts {
		if a.Generated(p) {
			continue
		}
		fmt.Fprintf(&b, "  - name: %s\n    appid: %s\n", a.Name, a.AppID)
		if a.Template != "" {
			fmt.Fprintf(&b, "    template: %s\n", a.Template)
			if len(a.Vars) > 0 {
				vars := make([]string, 0, len(a.Vars))
				for _, k := range slices.Sorted(maps.Keys(a.Vars)) {
					vars = append(vars, k+": "+q(a.Vars[k]))
				}
				fmt.Fprintf(&b, "    vars: {%s}\n", strings.Join(vars, ", "))
			}
		} else {
			fmt.Fprintf(&b, "    file: %s\n", q(a.File))
		}
		switch {
		case a.Platform:
			b.WriteString("    platform: true\n")
			if a.RefreshTokenEnv != "" {
				fmt.Fprintf(&b, "    refresh_token_env: %s\n", a.RefreshTokenEnv)
			}
		case len(a.TokenCommand) > 0:
			fmt.Fprintf(&b, "    token_command: %s\n", list(a.TokenCommand))
		default:
			fmt.Fprintf(&b, "    secret_env: %s\n", a.SecretEnv)
		}
		if a.SelfHeal {
			b.WriteString("    self_heal: true\n")
		}
		if a.Mode != "" && a.Mode != ModeEnforce {
			fmt.Fprintf(&b, "    mode: %s\n", a.Mode)
		}
	}
	if len(p.AccountsFrom) > 0 {
		b.WriteString("accounts_from:\n")
		for _, g := range p.AccountsFrom {
			if g.Command != nil {
				fmt.Fprintf(&b, "  - command: %s\n", list(g.Command))
			} else {
				fmt.Fprintf(&b, "  - file: %s\n", q(g.File))
			}
			if g.Timeout > 0 {
				fmt.Fprintf(&b, "    timeout: %s\n", g.Timeout)
			}
			if g.Defaults != nil {
				flow := bare(g.Defaults)
				flow.Style = yaml.FlowStyle
				out, _ := yaml.Marshal(flow)
				fmt.Fprintf(&b, "    defaults: %s", out)
			}
		}
	}
	if r := p.Rollout; r != nil {
		b.WriteString("rollout:\n  waves:\n")
		for _, w := range r.Waves {
			if w.Share > 0 {
				fmt.Fprintf(&b, "    - {name: %s, share: %s}\n", w.Name, strconv.FormatFloat(w.Share, 'f', -1, 64))
				continue
			}
			fmt.Fprintf(&b, "    - {name: %s, accounts: %s}\n", w.Name, list(w.Accounts))
		}
	}
	if pl := p.Platform; pl != nil {
		fmt.Fprintf(&b, "platform:\n  component_appid: %s\n", pl.ComponentAppID)
		for _, kv := range [][2]string{{"component_secret_env", pl.ComponentSecretEnv}, {"verify_ticket_env", pl.VerifyTicketEnv}} {
			if kv[1] != "" {
				fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
			}
		}
		if len(pl.AuthorizerTokenCommand) > 0 {
			fmt.Fprintf(&b, "  authorizer_token_command: %s\n", list(pl.AuthorizerTokenCommand))
		}
	}
	if p.AuditLog != "" {
		log, err := filepath.Rel(p.Dir, p.AuditLog)
		if err != nil {
			log = p.AuditLog
		}
		fmt.Fprintf(&b, "audit_log: %s\n", q(filepath.ToSlash(log)))
	}
	if p.Lang != "" {
		fmt.Fprintf(&b, "lang: %s\n", p.Lang)
	}
	return []byte(b.String())
}
