// Package preview draws menus as a follower's phone shows them, for people
// reviewing a change: a Markdown picture for a pull-request comment and a
// self-contained HTML page with a phone mock per audience, before and after
// apply, the differences highlighted.
//
// # Model
//
// A Phone is one menu: a title and its buttons (at most three on the bottom
// bar, each with at most five in its sub-menu). A Comparison is one
// audience's phone before and after apply, with notes for the reviewer;
// FromRows builds them from a plan's audience table (plans.AudienceRow). Buttons
// are matched by identity, not by position (match.go): a button's
// counterpart on the other side is the equal one, else the one of the same
// type and target (key, url, media_id, article_id, a mini program's appid
// and pagepath; a sub-menu's name), else the one of the same name, the
// nearest in position breaking ties. A matched button that differs is
// changed (its name, type, target or sub-buttons; a target is invisible
// but changes what the button does), one without a counterpart is new or
// removed, wherever the buttons around it moved.
//
// The phone cuts long names off. Shown returns a name as it appears, from
// widths in units (a CJK character 2, others 1) and the limits TopNameUnits
// and SubNameUnits, which are UNCONFIRMED approximations of common phones;
// CutOffs lists the names that will be cut, for a validate warning.
//
// Markdown follows the GitHub-flavoured Markdown table rules and uses no
// HTML, which GitHub strips from comments.
//
// The HTML page (Page) shows one plan, or a project's plans, each as a
// Review (accounts with the same steps share one Review, their phones drawn
// once, its Heading saying how many and its Summary naming them): the calls in call order, the comparisons (under each pair of
// phones, every new, removed or changed button with its fields before and
// after, changes.go), the conditional menus after apply, the warnings and
// how to apply; a Banner at the top, an ARIA alert, says why a plan is
// blocked. Package render words all of it; this package lays it out. The
// page has inline CSS and nothing else: no script, font, image or link, and
// a Content-Security-Policy that forbids loading anything, so it opens the
// same offline. The browser test opens it in headless Chromium, checks
// every part is visible and, with -update, writes docs/preview.png.
package preview
