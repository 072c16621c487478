package desired

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/wxmenu/wxmenu/wechat"
)

// A menu published in the mp.weixin.qq.com console is invisible to menu/get
// (46003) and shows only in get_current_selfmenu_info (reference §1.2,
// §1.7, §7.11). Its buttons come in that endpoint's shape: sub-buttons
// wrapped as {"list": [...]}, and besides the API's types the console's own
// (text, img, voice, video, news) with their payload in value or news_info.
// The API cannot create those: there is no text button, and the console's
// media ids are temporary (3 days, §1.7), unlike the permanent material a
// media_id button needs. So they are converted where a type maps (every
// type menu/create accepts) and reported otherwise.

// ConsoleOnlyButton is a button of a console-published menu that the API
// cannot create.
type ConsoleOnlyButton struct {
	// Path names the button for people: `"更多" > "联系我们"`.
	Path string
	// Type is its console type, e.g. "text".
	Type string
	// Payload describes what it sends, quoted and shortened, e.g. `text
	// "欢迎"`, `2 articles: "A", "B"`; "" when there is nothing to show.
	Payload string
}

// String reads e.g. `"联系我们" (text "欢迎")`.
func (b ConsoleOnlyButton) String() string {
	what := b.Type
	switch {
	case what == "":
		what = "no type"
	case strings.ContainsFunc(what, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') }):
		what = strconv.Quote(what) // never a raw control character in a comment or a terminal
	}
	if b.Payload != "" {
		what += " " + b.Payload
	}
	return b.Path + " (" + what + ")"
}

// ConsoleButtons converts a console-published menu's buttons to the API's
// shape. Buttons whose type the API accepts are copied (a media id given as
// value moves to media_id). Console-only buttons are returned in
// consoleOnly; in buttons they keep only their type and name, so a plan can
// show them as part of what followers see now, and a parent left without
// sub-buttons the API could create keeps them that way too.
func ConsoleButtons(in []wechat.SelfMenuButton) (buttons []wechat.Button, consoleOnly []ConsoleOnlyButton) {
	var walk func(in []wechat.SelfMenuButton, path string) []wechat.Button
	walk = func(in []wechat.SelfMenuButton, path string) []wechat.Button {
		out := make([]wechat.Button, 0, len(in))
		for _, sb := range in {
			name := path + strconv.Quote(sb.Name)
			if sb.SubButton != nil && (len(sb.SubButton.List) > 0 || sb.Type == "") {
				out = append(out, wechat.Button{Name: sb.Name, SubButtons: walk(sb.SubButton.List, name+" > ")})
				continue
			}
			b, ok := apiButton(sb)
			if !ok {
				consoleOnly = append(consoleOnly, ConsoleOnlyButton{Path: name, Type: sb.Type, Payload: consolePayload(sb)})
			}
			out = append(out, b)
		}
		return out
	}
	return walk(in, ""), consoleOnly
}

// apiButton is sb as menu/create takes it, and whether its type is one the
// API creates.
func apiButton(sb wechat.SelfMenuButton) (wechat.Button, bool) {
	b := wechat.Button{Type: sb.Type, Name: sb.Name}
	if _, ok := wechat.ButtonTypeFields(sb.Type); !ok {
		return b, false
	}
	b.Key, b.URL, b.AppID, b.PagePath, b.ArticleID = sb.Key, sb.URL, sb.AppID, sb.PagePath, sb.ArticleID
	if sb.Type == "media_id" || sb.Type == "view_limited" {
		b.MediaID = sb.Value // get_current_selfmenu_info reports media ids as value
	}
	return b.WithoutUnusedFields(), true
}

// consolePayload describes what a console-only button sends.
func consolePayload(sb wechat.SelfMenuButton) string {
	if sb.Type == "news" && len(sb.NewsInfo) > 0 {
		var titles []string
		var info struct {
			List []struct {
				Title string `json:"title"`
			} `json:"list"`
		}
		if json.Unmarshal(sb.NewsInfo, &info) == nil {
			for _, a := range info.List {
				titles = append(titles, shortQuote(a.Title, 40))
			}
		}
		if len(titles) > 0 {
			noun := "articles"
			if len(titles) == 1 {
				noun = "article"
			}
			return fmt.Sprintf("%d %s: %s", len(titles), noun, strings.Join(titles, ", "))
		}
	}
	if sb.Value == "" {
		return ""
	}
	switch sb.Type {
	case "img", "voice", "news":
		return "media " + shortQuote(sb.Value, 24)
	case "video":
		return "url " + shortQuote(sb.Value, 60)
	}
	return shortQuote(sb.Value, 80)
}

// shortQuote quotes s Go-style (so no line break or control character can
// reach a comment or a terminal), cut to max runes.
func shortQuote(s string, max int) string {
	return strconv.Quote(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, cutRunes(s, max, "…")))
}

// ConsoleMenuWarning is the warning of a plan or export that found a menu
// published in the console: whether apply replaces it, and the buttons the
// API cannot create.
func ConsoleMenuWarning(consoleOnly []ConsoleOnlyButton, replaced bool) string {
	w := "followers see a menu published in the console (menu/get reports none); "
	if replaced {
		w += "apply replaces it"
	} else {
		w += "this plan leaves it as it is"
	}
	if len(consoleOnly) == 0 {
		return w
	}
	names := make([]string, len(consoleOnly))
	for i, b := range consoleOnly {
		names[i] = b.String()
	}
	return w + "; WeChat's API cannot create its console-only buttons " + strings.Join(names, ", ")
}

// Comments of an exported console menu.
const (
	consoleMenuComment = "Followers see a menu published in the mp.weixin.qq.com console: menu/get\n" +
		"reports no menu (46003), get_current_selfmenu_info shows it. The default menu\n" +
		"below is that menu; apply publishes it through the API, which replaces the\n" +
		"console menu."
	consoleOnlyComment = "Left out: console-only buttons, which WeChat's API cannot create (text, img,\n" +
		"voice, video and news exist only in the console; its media ids are temporary).\n" +
		"Declare each as a click button your server answers, a media_id button with\n" +
		"permanent material, or an article_id button:"
	consoleEmptyComment = "No button of the console menu can be created through the API: declare the\n" +
		"buttons before applying (the file does not validate until then)."
)

// ExportConsoleMenu renders a console-published menu (get_current_selfmenu_info
// with is_menu_open 1) as a desired-state file whose default menu is the
// console menu's buttons that the API can create, so that a migration
// starts from what followers see. Console-only buttons are left out with a
// comment naming each; they are returned too, for a warning. A parent left
// with no sub-button is left out as well.
func ExportConsoleMenu(info *wechat.SelfMenuInfo) ([]byte, []ConsoleOnlyButton, error) {
	if info == nil || info.IsMenuOpen != 1 {
		return nil, nil, errors.New("export: no console menu given")
	}
	buttons, consoleOnly := ConsoleButtons(info.SelfMenu.Buttons)
	buttons = creatable(buttons)

	header := exportSource // it has no conditional menus: no word on their order
	key := strNode("default")
	key.HeadComment = consoleMenuComment
	if len(consoleOnly) > 0 {
		lines := []string{consoleOnlyComment}
		for _, b := range consoleOnly {
			lines = append(lines, "  - "+b.String())
		}
		key.HeadComment += "\n\n" + strings.Join(lines, "\n")
	}
	if len(buttons) == 0 {
		key.HeadComment += "\n\n" + consoleEmptyComment
	}
	data, err := encode(header, []*yaml.Node{key, defaultMenuNode(buttons)})
	if err != nil {
		return nil, nil, err
	}
	return data, consoleOnly, nil
}

// creatable drops the console-only leaves ConsoleButtons kept by type and
// name, and the parents left without sub-buttons.
func creatable(in []wechat.Button) []wechat.Button {
	out := make([]wechat.Button, 0, len(in))
	for _, b := range in {
		if b.SubButtons != nil {
			if b.SubButtons = creatable(b.SubButtons); len(b.SubButtons) == 0 {
				continue
			}
		} else if _, ok := wechat.ButtonTypeFields(b.Type); !ok {
			continue
		}
		out = append(out, b)
	}
	return out
}
