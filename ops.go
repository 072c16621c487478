package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wxmenu/wxmenu/internal/atomicfile"
	"github.com/wxmenu/wxmenu/internal/cmdline"
	"github.com/wxmenu/wxmenu/internal/i18n"
	"github.com/wxmenu/wxmenu/internal/literal"
	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/reconcile/audit"
	"github.com/wxmenu/wxmenu/reconcile/desired"
	"github.com/wxmenu/wxmenu/reconcile/fleet"
	"github.com/wxmenu/wxmenu/reconcile/notify"
	"github.com/wxmenu/wxmenu/reconcile/project"
	"github.com/wxmenu/wxmenu/reconcile/render"
	"github.com/wxmenu/wxmenu/reconcile/watch"
	"github.com/wxmenu/wxmenu/wechat"
)

// The operations commands: drift, history and watch, and what plan and
// export do with --restore. They read the audit log apply writes.

// readHistory reads the applies of --audit-log; without a log it is empty
// (drift then says what it cannot know).
func readHistory(fl *flags) (audit.History, error) {
	if fl.run.AuditPath == "" {
		return nil, nil
	}
	h, err := audit.ReadHistory(fl.run.AuditPath)
	if err != nil {
		return nil, cmdline.Fail(cmdline.ExitError, "give --audit-log the file apply writes (WXMENU_AUDIT_LOG)", "%v", err)
	}
	return h, nil
}

// opsProject is the project of drift, history and watch, or the menus
// file of -f.
func opsProject(fl *flags) (*project.Project, string, error) {
	p, err := project.Find(fl.file, fl.config)
	if err != nil || p != nil {
		return p, "", err
	}
	file, err := fileArg(fl)
	return p, file, err
}

// notifyTargets parses --notify; each needs --state, which tells what
// changed since the last run.
func notifyTargets(fl *flags) ([]notify.Target, error) {
	var targets []notify.Target
	for _, raw := range fl.notify {
		t, err := notify.ParseTarget(raw)
		if err != nil {
			return nil, err
		}
		targets = append(targets, t)
	}
	if len(targets) > 0 && fl.statePath == "" && fl.command == "drift" {
		return nil, cmdline.Fail(cmdline.ExitError, "add --state FILE: it keeps each account's last status between runs", "--notify posts only changes of status, and needs --state to know them")
	}
	return targets, nil
}

// checked is what a plan run's report says of each account's drift.
func checked(rep *fleet.Report, history audit.History) []watch.Checked {
	drifts := rep.Drift(history)
	out := make([]watch.Checked, len(drifts))
	for i, d := range drifts {
		o := rep.Outcomes[i]
		out[i] = watch.Checked{Account: o.Name, AppID: o.AppID, Drift: d, Err: o.Result.Err}
		if o.Name == "" {
			out[i].Account = o.File // a menus file's account has no name
		}
		if p := o.Result.Plan; p != nil && out[i].AppID == "" {
			out[i].AppID = p.AppID
		}
	}
	return out
}

// drift plans every account read-only and says how each differs from its
// file, and why, from the audit log's last apply of it.
func (e *env) drift(ctx context.Context, fl *flags) error {
	if fl.format != "text" && fl.format != "markdown" && fl.format != "json" {
		return cmdline.Fail(cmdline.ExitError, "use --format text, markdown or json", "unknown format %q", fl.format)
	}
	p, file, err := opsProject(fl)
	if err != nil {
		return err
	}
	if p != nil {
		fl.render.Project = p.Path
	}
	useProjectAuditLog(fl, p)
	targets, err := notifyTargets(fl)
	if err != nil {
		return err
	}
	history, err := readHistory(fl)
	if err != nil {
		return err
	}
	var state *watch.State
	if fl.statePath != "" {
		if state, err = watch.LoadState(fl.statePath); err != nil {
			return err
		}
	}
	return e.runSome(ctx, fl, p, file, true, e.skipPaused, func(ctx context.Context, o fleet.Options) error {
		rep := fleet.Plan(ctx, o)
		accounts := checked(rep, history)
		drifts := make([]*reconcile.Drift, len(accounts))
		worst := reconcile.DriftInSync
		for i, c := range accounts {
			drifts[i], worst = c.Drift, watch.Worse(worst, c.Drift.Status)
		}
		if err := render.Drift(e.stdout, rep, drifts, fl.format, fl.render, fl.run.AuditPath != ""); err != nil {
			return err
		}
		if state != nil {
			_, errs := watch.Track(ctx, state, accounts, targets, fl.render.Printer, &http.Client{Timeout: 10 * time.Second}, time.Now())
			for _, err := range errs {
				// Reported, never in place of the drift result: the
				// change is posted again on the next run.
				fmt.Fprintf(e.stderr, "wxmenu: warning: %v\n", err)
			}
			if err := state.Save(fl.statePath); err != nil {
				return cmdline.Fail(cmdline.ExitError, "", "saving the state: %v", err)
			}
		}
		return driftExit(worst)
	})
}

// skipPaused leaves out of o's accounts those the project pauses (mode:
// paused), which drift and watch do not read; a notice names them.
func (e *env) skipPaused(o *fleet.Options) error { return e.leavePaused(o, "") }

// leavePaused is skipPaused, its notice ending in how to read one anyway
// (how, "" when there is no way).
func (e *env) leavePaused(o *fleet.Options, how string) error {
	var paused []string
	o.Accounts = slices.DeleteFunc(slices.Clone(o.Accounts), func(a project.Account) bool {
		if a.Mode == project.ModePaused {
			paused = append(paused, a.Name)
		}
		return a.Mode == project.ModePaused
	})
	if len(paused) > 0 {
		fmt.Fprintf(e.stderr, "wxmenu: paused accounts are not read (mode: paused%s): %s\n", how, strings.Join(paused, ", "))
	}
	return nil
}

// skipPausedUnlessNamed is skipPaused for export and export --snapshot,
// which read a paused account only when --account names it.
func (e *env) skipPausedUnlessNamed(fl *flags) func(*fleet.Options) error {
	if len(fl.accounts) > 0 {
		return nil
	}
	return func(o *fleet.Options) error { return e.leavePaused(o, "; --account NAME reads one") }
}

// driftExit is drift's exit for the worst status: 0 in sync, 2 drift or
// pending, 1 an error (each was reported with the account).
func driftExit(worst reconcile.DriftStatus) error {
	switch worst {
	case reconcile.DriftInSync:
		return nil
	case reconcile.DriftError:
		return &cmdline.Error{Code: cmdline.ExitError, Err: cmdline.ErrReported}
	}
	return &cmdline.Error{Code: cmdline.ExitChanges, Err: cmdline.ErrReported}
}

// restoreApply is the apply --restore names, from the audit log, with the
// state it left.
func restoreApply(fl *flags) (*audit.Apply, error) {
	if fl.run.AuditPath == "" {
		return nil, cmdline.Fail(cmdline.ExitError, "give --audit-log FILE (or WXMENU_AUDIT_LOG), the log apply wrote", "--restore reads the state an apply left from the audit log")
	}
	history, err := readHistory(fl)
	if err != nil {
		return nil, err
	}
	a := history.Find(fl.restore)
	if a == nil {
		return nil, cmdline.Fail(cmdline.ExitError, render.WithGlobals("wxmenu history --audit-log "+render.ShellWord(fl.run.AuditPath), fl.render.Globals)+" lists the applies and their IDs", "%s records no apply %q", fl.run.AuditPath, fl.restore)
	}
	if _, err := reconcile.RestoredState(a); err != nil {
		return nil, cmdline.Fail(cmdline.ExitError, "pick an apply whose outcome is applied", "%v", err)
	}
	return a, nil
}

// restoreInto makes a run plan back to the state of --restore's apply:
// only the account of that apply, its desired state the recorded one.
func restoreInto(fl *flags, o *fleet.Options) error {
	if fl.restore == "" {
		return nil
	}
	a, err := restoreApply(fl)
	if err != nil {
		return err
	}
	for _, acct := range o.Accounts {
		if acct.AppID == a.AppID {
			acct.Path = reconcile.RestorePrefix + a.ID
			o.Accounts, o.Restore = []project.Account{acct}, a
			return nil
		}
	}
	return cmdline.Fail(cmdline.ExitError, "run it with the credentials (or --config and --account) of that account", "apply %s was made on account %s, which this run does not select", a.ID, a.AppID)
}

// exportRestore writes the menus an apply left as menus.yaml, to --out
// (never over a file that exists without --force) or standard output:
// the file of a pull request that restores them.
func (e *env) exportRestore(fl *flags) error {
	p, err := project.Find("", fl.config)
	if err != nil {
		return err
	}
	useProjectAuditLog(fl, p) // as plan --restore does, through e.run
	a, err := restoreApply(fl)
	if err != nil {
		return err
	}
	data, err := desired.ExportFrom(a.State(), fmt.Sprintf("The menus apply %s left on account %s (%s), from %s.", a.ID, a.AppID, a.Time.UTC().Format(time.RFC3339), literal.Line(fl.run.AuditPath)))
	if err != nil {
		return err
	}
	if fl.out == "" {
		_, err := e.stdout.Write(data)
		return err
	}
	write := atomicfile.WriteNew
	if fl.force {
		write = atomicfile.Write
	}
	if err := write(fl.out, func(w io.Writer) error { _, err := w.Write(data); return err }); errors.Is(err, fs.ErrExist) {
		return cmdline.Fail(cmdline.ExitError, "add --force to replace it", "%s exists; export leaves it as it is", fl.out)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wxmenu: wrote the menus apply %s left to %s; commit it in place of the account's menus file to restore them through review\n", a.ID, fl.out)
	return nil
}

// history lists the applies the audit log records, newest first: a
// project's selected accounts, or the account of the flags.
func (e *env) history(_ context.Context, fl *flags) error {
	p, err := project.Find(fl.file, fl.config)
	if err != nil {
		return err
	}
	useProjectAuditLog(fl, p)
	if fl.run.AuditPath == "" {
		return cmdline.Fail(cmdline.ExitError, "give --audit-log FILE (or WXMENU_AUDIT_LOG), the log apply writes", "history reads the audit log")
	}
	h, err := readHistory(fl)
	if err != nil {
		return err
	}
	appids := map[string]bool{}
	switch {
	case p != nil:
		accounts, err := p.Select(fl.accounts)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			appids[a.AppID] = true
		}
	case fl.account.Single("").AppID != "":
		appids[fl.account.Single("").AppID] = true
	}
	if len(appids) > 0 {
		h = slices.DeleteFunc(h, func(a *audit.Apply) bool { return !appids[a.AppID] })
	}
	return render.History(e.stdout, h, fl.format)
}

// useProjectAuditLog takes the project's audit_log: when neither
// --audit-log nor WXMENU_AUDIT_LOG names a log.
func useProjectAuditLog(fl *flags, p *project.Project) {
	if p != nil && fl.run.AuditPath == "" {
		fl.run.AuditPath = p.AuditLog
	}
	fl.render.AuditLog = fl.run.AuditPath
}

// useLang sets the language of the run's review output: --lang, else the
// project's lang:, else WXMENU_LANG, else the locale (i18n.Resolve).
func useLang(fl *flags, p *project.Project) error {
	projectLang := ""
	if p != nil {
		projectLang = p.Lang
	}
	lang, err := i18n.Resolve(fl.lang, projectLang, os.Getenv("WXMENU_LANG"), os.Getenv)
	if err != nil {
		return cmdline.Fail(cmdline.ExitError, "wxmenu speaks "+strings.Join(i18n.Supported, " and ")+"; --lang wins over the project's lang:, which wins over WXMENU_LANG and the locale", "%v", err)
	}
	fl.render.Printer = i18n.New(lang)
	return nil
}

// watch sweeps drift over every account at --interval until SIGTERM (or
// once), serving /metrics and /healthz and notifying changes of status;
// with --self-heal it reverts the accounts that set self_heal: true.
func (e *env) watch(ctx context.Context, fl *flags) error {
	p, file, err := opsProject(fl)
	if err != nil {
		return err
	}
	useProjectAuditLog(fl, p)
	targets, err := notifyTargets(fl)
	if err != nil {
		return err
	}
	if fl.interval < time.Second {
		return cmdline.Fail(cmdline.ExitError, "use e.g. --interval 15m", "--interval %v is too short", fl.interval)
	}
	if fl.selfHeal && fl.run.AuditPath == "" {
		return cmdline.Fail(cmdline.ExitError, "give --audit-log FILE (or the project's audit_log:), the log apply writes", "--self-heal reverts to the state the last apply left, which the audit log records")
	}
	state, err := watch.LoadState(fl.statePath) // "" keeps it in memory only
	if err != nil {
		return err
	}
	var listener net.Listener
	if fl.listen != "" && !fl.once {
		if listener, err = listen(fl.listen, fl.allowRemote); err != nil {
			return err
		}
		defer listener.Close()
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	selfHeal := map[string]bool{}
	if p != nil {
		for _, a := range p.Accounts {
			// An observed account is never applied, so never healed.
			selfHeal[a.Name] = a.SelfHeal && a.Mode != project.ModeObserve
		}
	}
	return e.runSome(ctx, fl, p, file, !fl.selfHeal, e.skipPaused, func(ctx context.Context, o fleet.Options) error {
		// One client per account for the whole watch: its token is kept
		// until it expires, not fetched again every sweep.
		var clients sync.Map
		open := o.Open
		o.Open = func(ctx context.Context, a project.Account) (*wechat.Client, error) {
			if c, ok := clients.Load(a.Name + "\x00" + a.AppID); ok {
				return c.(*wechat.Client), nil
			}
			c, err := open(ctx, a)
			if err == nil {
				clients.Store(a.Name+"\x00"+a.AppID, c)
			}
			return c, err
		}
		metrics := watch.NewMetrics()
		healthy := make(chan struct{})
		if listener != nil {
			srv := serveWatch(listener, metrics, healthy)
			defer srv.Shutdown(context.WithoutCancel(ctx))
			logger.Info("serving /metrics and /healthz", "address", listener.Addr().String())
		}
		var history audit.History
		worst := watch.Run(ctx, watch.Options{
			Interval: fl.interval, Once: fl.once, State: state, StatePath: fl.statePath,
			Notify: targets, Printer: fl.render.Printer, Client: &http.Client{Timeout: 10 * time.Second}, Metrics: metrics, Log: logger,
			Sweep: func(calls context.Context) []watch.Checked {
				if h, err := readHistory(fl); err != nil {
					logger.Error("reading the audit log", "error", err)
				} else {
					history = h
				}
				// After SIGTERM (ctx done) no other account starts; those in
				// flight finish on calls, which is never cancelled, and the
				// accounts left out are not reported: they were not checked.
				sweep := o
				sweep.Open = func(calls context.Context, a project.Account) (*wechat.Client, error) {
					if ctx.Err() != nil {
						return nil, errStopping
					}
					return o.Open(calls, a)
				}
				cs := slices.DeleteFunc(checked(fleet.Plan(calls, sweep), history), func(c watch.Checked) bool { return errors.Is(c.Err, errStopping) })
				for i := range cs {
					cs[i].SelfHeal = selfHeal[cs[i].Account]
				}
				select {
				case <-healthy:
				default:
					close(healthy)
				}
				return cs
			},
			Heal: healer(fl, o),
		})
		if fl.once {
			return driftExit(worst)
		}
		logger.Info("stopped")
		return nil
	})
}

// errStopping is the error of an account a sweep did not start because
// watch is stopping.
var errStopping = errors.New("watch is stopping")

// healer reverts one account to the state its last apply left, through
// the rails (a blocked plan is not applied), or nil without --self-heal.
func healer(fl *flags, o fleet.Options) func(context.Context, watch.Checked) error {
	if !fl.selfHeal {
		return nil
	}
	return func(ctx context.Context, c watch.Checked) error {
		last := c.Drift.LastApply
		if last == nil || last.State() == nil {
			return fmt.Errorf("the audit log records no state of the account to revert to")
		}
		one := o
		one.Accounts, one.Restore = nil, last
		for _, a := range o.Accounts {
			if a.AppID == last.AppID && (a.Name == c.Account || a.Path == c.Account) {
				a.Path = reconcile.RestorePrefix + last.ID
				one.Accounts = []project.Account{a}
			}
		}
		if len(one.Accounts) == 0 {
			return fmt.Errorf("account %s is not in this run", c.Account)
		}
		res := fleet.Apply(ctx, one, nil).Outcomes[0].Result
		if res.Status != reconcile.StatusApplied && res.Status != reconcile.StatusNoChanges { // no changes: already back
			msg, _ := res.Problem()
			return fmt.Errorf("%s: %s", res.Status, msg)
		}
		return nil
	}
}

// listen listens on addr, a loopback address unless allowRemote: the
// metrics name every account.
func listen(addr string, allowRemote bool) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, cmdline.Fail(cmdline.ExitError, "use HOST:PORT, e.g. 127.0.0.1:9464", "bad --listen %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); !allowRemote && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, cmdline.Fail(cmdline.ExitError, "use 127.0.0.1:9464, or add --listen-non-loopback to serve the metrics (which name every account) to other machines", "refusing to listen on %s: not a loopback address", host)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, cmdline.Fail(cmdline.ExitError, "pick a free port with --listen", "listening on %s: %v", addr, err)
	}
	return l, nil
}

// serveWatch serves /metrics and /healthz (200 once the first sweep ran,
// 503 before) on l.
func serveWatch(l net.Listener, m *watch.Metrics, healthy <-chan struct{}) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		select {
		case <-healthy:
			io.WriteString(w, "ok\n")
		default:
			http.Error(w, "the first sweep has not finished", http.StatusServiceUnavailable)
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	return srv
}
