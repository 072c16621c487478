// Package account opens one WeChat account for a reconcile.Session: Open
// turns a Spec (app credentials, a static access token, or the embedded
// sandbox with its loopback server) into a client, the appid plans and locks
// name, and a Close. A new kind of credential (a token command, a
// third-party platform's authorizer token) is one more case in Open.
//
// Serve runs the emulator over HTTP for `wxmenu sandbox serve`, and
// OpenSandbox loads the --sandbox account's state.
//
// Errors carry a hint for people (Error.Hint); none of them holds a secret.
package account
