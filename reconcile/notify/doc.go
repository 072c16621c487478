// Package notify posts drift status transitions to webhooks: what `wxmenu
// drift --notify URL` and `wxmenu watch --notify URL` send when an
// account's status changes.
//
// A Change is one account's status moving from one value to another
// (From is "" when the account had no recorded status yet); the caller
// decides what changed and calls Send only then. Send posts one message per
// call to one Target, listing every change it is given, one line per
// account (name, from → to, summary), in the order given; with no changes
// it posts nothing.
//
// A Target is a parsed --notify URL, in one of three forms:
//
//   - http://… or https://…: a plain JSON body, {"changes":[…]}, each
//     change with exactly the fields of Change; any 2xx answer is success.
//   - wecom+https://…: the WeCom group robot, {"msgtype":"markdown",
//     "markdown":{"content":"…"}}; success is the answer
//     {"errcode":0,…}, any other errcode a failure. The content is capped
//     at the robot's 4096 bytes: whole lines are kept while they fit and a
//     last line "… and N more" counts the accounts left out.
//   - slack+https://…: Slack's incoming webhook, {"text":"…"} in mrkdwn;
//     success is HTTP 200.
//
// wecom+http:// and slack+http:// are accepted for a loopback host only (a
// local relay, tests): the robots' keys are in their URLs.
//
// Webhook URLs are secrets: WeCom's key is its ?key=, Slack's is the path.
// Target.String is scheme and host only, and is the only way a Target is
// ever named, in errors too; the Target itself has no exported field.
//
// Text from accounts (names, summaries, statuses) is data. Everywhere, the
// JSON body too, it is made one line by internal/literal.Line, as on a
// terminal: line breaks and tabs become spaces, and other control
// characters, the bidirectional controls and marks (which reorder what a
// reader sees) and invalid UTF-8 become U+FFFD. For WeCom the
// Markdown specials (and @, so "<@all>" mentions no one) are escaped with a
// backslash; for Slack &, < and > become &amp;, &lt; and &gt;, as Slack
// documents, so no name can make a link, a mention or a tag. In the two
// chat formats a name is cut at 64 characters, a status at 32 and a
// summary at 256, each ending in "…".
//
// Send tries up to 3 times, after 100 ms and then 300 ms, on network
// errors (but a certificate that does not verify), timeouts, HTTP 5xx and
// 429, and WeCom's errcode -1 (busy); any other answer is final at once. Redirects are not followed (a webhook
// that redirects is an error, and the message goes nowhere else). The
// client's Timeout bounds each attempt, 10 s when it has none, and ctx
// bounds them all: when ctx ends, Send returns at once with an error that
// wraps ctx.Err(). A message whose answer was lost may be delivered
// twice.
//
// An error from Send names the target by String, says how many attempts
// were made and why the last one failed: the HTTP status or errcode with at
// most 80 bytes of the answer, quoted. It never holds the URL's path or
// query, the message (but what the snippet echoes of it), or more of the
// answer; what the answer echoes of the URL's key or path is cut out before
// the snippet is taken.
//
// target.go parses a URL (ParseTarget) and keeps it and its secrets;
// message.go is Change and the three bodies, their cleaning, escaping and
// cap; send.go posts them (Send), retries, and words the errors.
//
// notify imports internal/errtext only (its errors carry a hint).
package notify
