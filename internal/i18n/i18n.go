package i18n

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// The languages wxmenu speaks, as --lang, WXMENU_LANG and lang: name them.
const (
	English = "en"
	Chinese = "zh-CN"
)

// Supported lists the languages, English first.
var Supported = []string{English, Chinese}

var tags = map[string]language.Tag{English: language.English, Chinese: language.SimplifiedChinese}

// cat is the catalogue built once.
var cat = Build()

// Build makes the golang.org/x/text catalog of the catalogue: every
// message in English and zh-CN, and the English singular of a message
// that counts something under its own key (Printer.Msg picks it by the
// plural rules of golang.org/x/text/feature/plural).
func Build() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, e := range catalogue {
		b.SetString(language.English, e.EN, e.EN)
		b.SetString(language.SimplifiedChinese, e.EN, e.ZH)
		if e.One != "" {
			b.SetString(language.English, e.One, e.One)
		}
	}
	return b
}

// singular maps a counting message to its English singular form.
var singular = func() map[string]string {
	m := map[string]string{}
	for _, e := range catalogue {
		if e.One != "" {
			m[e.EN] = e.One
		}
	}
	return m
}()

// A Printer words review messages in one language; nil is English.
type Printer struct {
	lang string
	tag  language.Tag
	p    *message.Printer
}

// New is the printer of lang (one of Supported; anything else is English).
func New(lang string) *Printer {
	tag, ok := tags[lang]
	if !ok {
		lang, tag = English, language.English
	}
	return &Printer{lang: lang, tag: tag, p: message.NewPrinter(tag, message.Catalog(cat))}
}

var english = New(English)

func (p *Printer) get() *Printer {
	if p == nil {
		return english
	}
	return p
}

// Lang is the printer's language, "en" or "zh-CN" (an HTML lang
// attribute).
func (p *Printer) Lang() string { return p.get().lang }

// Chinese reports whether the printer words in Chinese.
func (p *Printer) Chinese() bool { return p.get().lang == Chinese }

// Msg formats the catalogue's message key (its English format) in the
// printer's language. key must be a constant declared in the catalogue.
func (p *Printer) Msg(key string, args ...any) string {
	p = p.get()
	if one, ok := singular[key]; ok && len(args) > 0 {
		n, ok := args[0].(int)
		if g, grouped := args[0].(Grouped); grouped {
			n, ok = int(g), true
		}
		if ok && plural.Cardinal.MatchPlural(p.tag, n, 0, 0, 0, 0) == plural.One {
			key = one
		}
	}
	args = slices.Clone(args) // the caller's, when it passed a slice
	for i, a := range args {
		if n, ok := a.(int); ok {
			args[i] = plain(n)
		}
	}
	return p.p.Sprintf(key, args...)
}

// plain is an int printed as fmt prints it, 1998 and not 1,998: review
// text shows counts as wxmenu always has, but for those it groups.
type plain int

// Grouped is a count Msg shows with the language's digit grouping, 1,998:
// how many accounts a project's review speaks of.
type Grouped int

func (n plain) Format(f fmt.State, verb rune) { fmt.Fprintf(f, fmt.FormatString(f, verb), int(n)) }

// List joins items: "a, b, c" in English, "a、b、c" in Chinese.
func (p *Printer) List(items []string) string {
	if p.Chinese() {
		return strings.Join(items, "、")
	}
	return strings.Join(items, ", ")
}

// Parse reads a language given by a person (source names where: "--lang",
// "WXMENU_LANG", "lang:"): one of Supported, as written there. Any other
// value is an error naming the supported ones; it never falls back to
// English.
func Parse(source, v string) (string, error) {
	for _, lang := range Supported {
		if v == lang {
			return lang, nil
		}
	}
	return "", fmt.Errorf("%s %q is not a language wxmenu speaks: use %s", source, v, strings.Join(Supported, " or "))
}

// fromLocale is the language of a locale name without its encoding:
// en_US and en are English, zh_CN, zh_SG and zh_Hans Simplified Chinese.
func fromLocale(v string) (string, bool) {
	switch strings.ToLower(strings.ReplaceAll(v, "_", "-")) {
	case "en", "en-us", "en-gb", "en-au", "en-ca", "en-nz", "en-ie", "en-in":
		return English, true
	case "zh-cn", "zh-sg", "zh-hans", "zh-hans-cn":
		return Chinese, true
	}
	return "", false
}

// FromLocale is the language of the locale: the first of LC_ALL,
// LC_MESSAGES and LANG that is set, its encoding and modifier dropped
// (zh_CN.UTF-8 is zh-CN); English when none is set or wxmenu does not
// speak it (C, POSIX, zh_TW, fr_FR).
func FromLocale(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if lang, ok := fromLocale(v); ok {
			return lang
		}
		return English
	}
	return English
}

// Resolve picks the language of a run: flag (--lang), else project (the
// project file's lang:), else env (WXMENU_LANG), else the locale read by
// getenv. Every value given but the locale must be a supported language,
// whichever wins.
func Resolve(flag, project, env string, getenv func(string) string) (string, error) {
	lang := ""
	for _, c := range []struct{ source, v string }{{"--lang", flag}, {"lang:", project}, {"WXMENU_LANG", env}} {
		if c.v == "" {
			continue
		}
		l, err := Parse(c.source, c.v)
		if err != nil {
			return "", err
		}
		lang = cmp.Or(lang, l)
	}
	return cmp.Or(lang, FromLocale(getenv)), nil
}

// verb is a fmt verb with its flags, width, precision and argument index:
// %s, %-20s, %[2]d, %%.
var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]*)?(?:\[([0-9]+)\])?([a-zA-Z%])|\{[a-zA-Z_][a-zA-Z0-9_]*\}`)

// Verbs lists the placeholders of a format, sorted, each as the argument
// it shows and its verb ("1:s", "2:d"), named placeholders ("{name}") as
// written; %% is no placeholder. Tests compare a translation's with its
// English.
func Verbs(format string) []string {
	var out []string
	next := 1
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		switch {
		case m[2] == "%":
			continue
		case strings.HasPrefix(m[0], "{"):
			out = append(out, m[0])
			continue
		case m[1] != "":
			next, _ = strconv.Atoi(m[1])
		}
		out = append(out, strconv.Itoa(next)+":"+m[2])
		next++
	}
	slices.Sort(out)
	return out
}
