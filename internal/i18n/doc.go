// Package i18n is the language of everything a reviewer reads: the one
// catalogue of review messages (catalogue.go), the printer renderers word
// them with, and how a run picks its language.
//
// # Model
//
// A message is keyed by its English format string (fmt verbs, as
// golang.org/x/text/message takes them). The catalogue declares every
// message once with its zh-CN translation, and, for a message that counts
// something, its English singular (One): Chinese has no plural, English
// says "1 step" and "2 steps". Build makes a golang.org/x/text catalog of
// it; a Printer formats a message in one language (the singular chosen by
// the plural rules of golang.org/x/text/feature/plural, counts printed as
// fmt prints them, 1998, unless given as Grouped, 1,998), data arguments
// as they are given: escaping stays the caller's, who escapes the
// arguments (or the whole line) exactly as for English.
//
// A plan holds some prose as English sentences, the same in every
// language's plan file: its warnings and its rails' messages. The engine
// words them with a nil Printer from catalogue messages marked Stored;
// Printer.Reword recognizes such a sentence by its format (reword.go) and
// words it in the reader's language with the sentence's own arguments.
//
// A nil *Printer is English, so renderers given no language print what
// they always printed. Lists are joined with ", " in English and "、" in
// Chinese (Printer.List).
//
// # Choosing the language
//
// Supported lists the languages: en and zh-CN. Parse reads a value given
// by a person (--lang, WXMENU_LANG, a project's lang:) and refuses one it
// does not know, naming the supported ones: a typo never silently renders
// English. FromLocale reads the locale (LC_ALL, LC_MESSAGES, LANG, the
// first set; zh_CN.UTF-8 is zh-CN) and falls back to English, silently,
// for a locale it does not speak (C, zh_TW, fr_FR). Resolve applies the order:
// --lang, then the project's lang:, then WXMENU_LANG, then the locale. A
// project's lang: outranks WXMENU_LANG because it is the team's choice,
// checked in beside the menus: every CI run renders the same language
// whatever the runner's locale or environment, while --lang is an explicit
// choice for one run.
//
// Machine output (JSON plans, reason codes, digests, exit codes, audit
// records) never goes through a Printer and is the same in every language.
package i18n
