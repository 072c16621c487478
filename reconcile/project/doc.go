// Package project is the project file, wxmenu.yaml: the accounts one
// repository manages (a brand's several accounts, or a third-party
// platform's authorizers), each with its menus file and its credentials,
// and the optional platform they are authorizers of.
//
// Load decodes the file strictly, like menus.yaml: unknown keys, wrong
// types, duplicate names and appids, missing or conflicting credentials are
// reported together, each located (file:line:column) with a hint, as
// Diagnostics (internal/yamlpos, as for menus.yaml). Anchors, aliases and
// merge keys (<<) are followed, within a budget of nodes, so accounts can
// share settings. A Project holds names of environment variables and
// commands, never a credential: reading them is reconcile/account's job.
// lang: sets the language of the project's review output (en or zh-CN;
// internal/i18n.Resolve orders it after --lang, before WXMENU_LANG and the
// locale).
//
// An account's menus are its own file (file:) or one of the project's
// templates (templates:, name to file) with the account's values (template:
// and vars:). Account.Desired is the one place an account's desired state
// comes from, either way: the file loaded, or the template rendered
// (desired.Template.Render). Load parses each template once, however many
// accounts use it.
//
// Accounts may also come from generators (accounts_from:): a CSV file whose
// header row names account keys (and vars.NAME columns), or a command run
// without a shell in the project's directory that prints one JSON account
// object a line (generate.go). Each generated account has the entry's
// defaults: merged under it (a YAML merge: its own keys win, vars merged
// key by key) and is decoded by the same decoder as a written one, its
// problems located at its CSV line and column or its output line. Names
// and appids are unique across every source. A command that fails, times
// out or prints anything but JSON objects gives no account at all, and is
// reported without its output or standard error, which may hold secrets.
// Every account records where it is defined (Account.Origin). Parse
// decodes the file only; Load also runs the generators and parses the
// templates.
//
// rollout.go holds an account's mode (enforce, observe, paused) and the
// rollout: waves; Load gives each account its wave (Account.Wave): the
// first wave whose names or globs match it, or whose cumulative share
// takes it by SharePoint, a hash of its name. Every account must be in a
// wave; CheckWave checks apply --wave.
//
// Find is the project a command works on when it is given no menus file
// (--config, else ./wxmenu.yaml), ForExport the one export works on and
// ForFormat the one fmt formats (both may list no accounts yet).
// Select picks accounts by name or path.Match glob (--account); Changed
// narrows them to those a change touched (--changed-files, its paths read
// against ChangedBase). Schema is the file's JSON Schema.
package project
