package account

import (
	"fmt"
	"os"
	"strings"
)

// credentialFlags are the flags that carry a credential, with the
// environment variable that should carry it instead.
var credentialFlags = []struct{ flag, env string }{
	{"secret", "WECHAT_APPSECRET"},
	{"access-token", "WECHAT_ACCESS_TOKEN"},
}

// warnFlagSecrets writes one warning to spec.Notices for each credential of
// a menus file's account that came from a flag rather than its environment
// variable: a flag's value is visible to every user of the machine in
// process listings. A value equal to the variable's came from the
// environment (urfave/cli reads both into the same flag).
func warnFlagSecrets(spec Spec) {
	if spec.Notices == nil || spec.Sandbox || spec.Project != nil {
		return
	}
	values := map[string]string{"secret": spec.Secret, "access-token": spec.AccessToken}
	for _, cf := range credentialFlags {
		if v := values[cf.flag]; v != "" && v != os.Getenv(cf.env) {
			fmt.Fprintf(spec.Notices, "wxmenu: warning: --%s is visible to other users in process listings; set %s instead\n", cf.flag, cf.env)
		}
	}
}

// minSubstringRedaction is the shortest credential redacted wherever it
// appears; a shorter one is redacted only where it stands as a whole
// quoted value, so "x" does not turn words into noise (the same rule as
// package wechat's).
const minSubstringRedaction = 8

// RedactCredentials removes every configured credential from msg: the
// values of the credential flags in args (--secret X, --secret=X) and of
// their environment variables. It is for messages made before or without a
// client (usage and configuration errors), which the client's own redaction
// never sees.
func RedactCredentials(msg string, args []string) string {
	var creds []string
	for _, cf := range credentialFlags {
		creds = append(creds, os.Getenv(cf.env))
		for i, a := range args {
			for _, name := range []string{"-" + cf.flag, "--" + cf.flag} {
				switch {
				case a == name && i+1 < len(args):
					creds = append(creds, args[i+1])
				case strings.HasPrefix(a, name+"="):
					creds = append(creds, strings.TrimPrefix(a, name+"="))
				}
			}
		}
	}
	for _, c := range creds {
		switch {
		case c == "":
		case len(c) >= minSubstringRedaction:
			msg = strings.ReplaceAll(msg, c, "REDACTED")
		default:
			msg = strings.ReplaceAll(msg, `"`+c+`"`, `"REDACTED"`)
		}
	}
	return msg
}
