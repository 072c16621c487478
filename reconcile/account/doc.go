// Package account opens the accounts of a run, one or many, with one
// opener: Open turns a Spec into an Opener, and Opener.Open gives each
// account (a project.Account) its client from its kind of credentials.
//
// A run on a menus file (-f) is a project of one account (Spec.Single):
// unnamed, its credentials the flags' (an appid with an app secret or a
// static access token, e.g. a third-party authorizer_access_token). A
// project's accounts name their own: an AppSecret from a named variable, a
// token command run without a shell from the project's directory, or an
// authorizer token of the project's third-party platform, after checking
// the account granted permission set 15, or from the platform's
// authorizer_token_command, run once for the platform accounts of the run
// (Spec.Accounts) with no component token at all. The one HTTP client, the
// one wechat.Platform, its component token, the authorizer list (read
// once, in bulk) and the authorizer_token_command's run are shared by every
// account of the run. With Sandbox, one
// embedded emulator on a loopback port serves every account of the run and
// stands in for every kind of credentials; it starts with the first
// account opened, so a run that fails before leaves no state behind.
//
// Serve runs the emulator over HTTP for `wxmenu sandbox serve`, and
// OpenSandbox loads the --sandbox account's state. Whatever loads a
// sandbox state file (a --sandbox run, sandbox serve, sandbox reset)
// first takes the exclusive lock of FILE.lock beside it (the apply locks'
// reconcile.LockAccount) and keeps it until the emulator is closed; a
// second run waits up to Spec.SandboxLockWait (DefaultSandboxLockWait),
// saying who holds it, and then fails rather than write the state at
// once. Local state (the
// sandbox state and the apply locks) lives where StatePath says, unless a
// flag names another place.
//
// Errors carry a hint for people (Error.Hint); none of them holds a secret.
package account
