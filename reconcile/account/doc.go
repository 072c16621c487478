// Package account opens one WeChat account for a reconcile.Session: Open
// turns a Spec (app credentials, a static access token, or the embedded
// sandbox with its loopback server) into a client, the appid plans and locks
// name, and a Close. A new kind of credential (a token command, a
// third-party platform's authorizer token) is one more case in Open.
//
// OpenFleet prepares the accounts of a project (reconcile/project) for one
// run: Fleet.Open gives each account its client from its kind of
// credentials (an AppSecret from a named variable, a token command run
// without a shell from the project's directory, or an authorizer token of
// the project's third-party platform, after checking the account granted
// permission set 15). The one wechat.Platform, its component token and
// the authorizer list (read once, in bulk) are shared by every platform
// account of the run, and so is one HTTP client. With Sandbox, one
// embedded emulator serves every account of the project and stands in
// for every kind of credentials.
//
// Serve runs the emulator over HTTP for `wxmenu sandbox serve`, and
// OpenSandbox loads the --sandbox account's state. Local state lives in
// StateDir: the sandbox state (SandboxStatePath) and the apply locks
// (LockDir), unless a flag names another place.
//
// Errors carry a hint for people (Error.Hint); none of them holds a secret.
package account
