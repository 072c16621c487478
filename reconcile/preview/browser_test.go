package preview

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// chromium returns the headless browser, or skips the test when it is not
// installed (Debian: apt-get install -y chromium); with the CI variable set
// it fails instead. WXMENU_CHROMIUM names another binary.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("WXMENU_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		// CI installs chromium (.ci/run): a skip there would hide that the
		// page was never opened in a browser.
		t.Fatal("chromium is not installed, and CI is set: .ci/run installs it (apt-get install -y chromium fonts-wqy-microhei)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium): skipping the headless-browser test of the HTML preview")
	return ""
}

// runChromium runs a fresh headless browser on url with extra flags and
// returns its stdout and stderr. The flags keep it off the network: no
// background requests, updates, sync or QUIC.
func runChromium(t *testing.T, bin, url string, extra ...string) (stdout, stderr []byte) {
	t.Helper()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0",
	}
	args = append(append(args, extra...), url)
	// Chromium sometimes crashes on a loaded machine before it has done
	// anything (a segmentation fault at start-up); a run it finishes is
	// never retried, so what it renders is judged as before.
	const attempts = 3
	for i := 1; ; i++ {
		cmd := exec.CommandContext(t.Context(), bin, args...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if err == nil {
			return out.Bytes(), errb.Bytes()
		}
		var exit *exec.ExitError
		if crashed := errors.As(err, &exit) && !exit.Exited(); !crashed || i == attempts {
			t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, errb.String())
		}
		t.Logf("chromium %s: %v (attempt %d of %d); running it again", strings.Join(extra, " "), err, i, attempts)
	}
}

// consoleLines returns the page's console messages from chromium's log
// (lines like `[...:INFO:CONSOLE:1] "message", source: ...`). The page has
// no script, so any message is an error: a blocked load, a CSP violation.
func consoleLines(log []byte) []string {
	var out []string
	for _, l := range strings.Split(string(log), "\n") {
		if strings.Contains(l, ":CONSOLE") {
			out = append(out, l)
		}
	}
	return out
}

// layoutProbe is added to a copy of the page (with scripts allowed) to
// measure what the browser laid out: every label's text as rendered, its
// size and whether it overflows its box, and the document's size.
const layoutProbe = `<script>
(function () {
  var labels = [];
  document.querySelectorAll(".label").forEach(function (el) {
    var r = el.getBoundingClientRect();
    var box = el.parentElement.getBoundingClientRect();
    labels.push({text: el.innerText, width: r.width, height: r.height,
      overflows: el.scrollWidth > el.clientWidth + 1 || r.right > box.right + 0.5 || r.left < box.left - 0.5});
  });
  var phones = [];
  document.querySelectorAll(".phone").forEach(function (el) { phones.push(el.getBoundingClientRect().width); });
  var parts = [];
  document.querySelectorAll(".blocked, header, article, section.calls, section.changed-audience, section.unchanged, table.buttons, section.priority, section.warnings, section.apply").forEach(function (el) {
    var r = el.getBoundingClientRect(), st = getComputedStyle(el);
    parts.push({selector: el.tagName.toLowerCase() + "." + el.className.split(" ")[0], role: el.getAttribute("role") || "",
      top: r.top + window.scrollY, width: r.width, height: r.height, rows: el.querySelectorAll("tbody tr, li").length,
      visible: r.width > 0 && r.height > 0 && st.visibility == "visible" && st.display != "none" && parseFloat(st.opacity) > 0.5,
      background: st.backgroundColor, fontSize: parseFloat(getComputedStyle(el.querySelector("h2, h3") || el).fontSize),
      text: el.innerText});
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify({labels: labels, phones: phones, parts: parts,
    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight});
  document.body.appendChild(pre);
})();
</script>`

type probeReport struct {
	Labels []struct {
		Text          string
		Width, Height float64
		Overflows     bool
	}
	Phones []float64
	// Parts are the page's banner, header and sections, in page order.
	Parts         []probePart
	Width, Height int
}

// probePart is one part of the page as laid out: its tag and first class
// ("section.calls"), ARIA role, position from the top of the document,
// size, number of table rows or list items, whether it is visible, its
// background colour, the size of its heading's text, and its text.
type probePart struct {
	Selector, Role     string
	Top, Width, Height float64
	Rows               int
	Visible            bool
	Background         string
	FontSize           float64
	Text               string
}

// parts returns the parts of the page matching selector.
func (r probeReport) parts(selector string) []probePart {
	var out []probePart
	for _, p := range r.Parts {
		if p.Selector == selector {
			out = append(out, p)
		}
	}
	return out
}

// expectedLabels returns the names the phones show, in page order.
func expectedLabels(p Page) []string {
	var out []string
	for _, c := range p.comparisons() {
		for _, ph := range []Phone{c.Before, c.After} {
			if ph.NoMenu {
				continue
			}
			for _, b := range ph.Buttons {
				for _, s := range b.SubButtons {
					out = append(out, Shown(s.Name, Sub))
				}
			}
			for _, b := range ph.Buttons {
				out = append(out, Shown(b.Name, Top))
			}
		}
	}
	return out
}

// probe opens a copy of doc with the layout probe (scripts allowed for
// it alone) in a 1280 px wide window and returns what it measured.
func probe(t *testing.T, bin string, doc []byte) probeReport {
	t.Helper()
	probed := strings.Replace(string(doc), "default-src 'none'; style-src 'unsafe-inline'", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'", 1)
	probed = strings.Replace(probed, "</body>", layoutProbe+"\n</body>", 1)
	probePath := filepath.Join(t.TempDir(), "probe.html")
	if err := os.WriteFile(probePath, []byte(probed), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log := runChromium(t, bin, "file://"+probePath, "--dump-dom", "--window-size=1280,800")
	if lines := consoleLines(log); len(lines) > 0 {
		t.Errorf("console messages while loading the probed page:\n%s", strings.Join(lines, "\n"))
	}
	m := regexp.MustCompile(`<pre id="probe">([^<]*)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the layout probe did not run; DOM:\n%s", dom)
	}
	var rep probeReport
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestHTMLInHeadlessChromium(t *testing.T) {
	bin := chromium(t)
	p := samplePage(t)
	doc := page(t, p)
	dir := t.TempDir()
	pagePath := filepath.Join(dir, "preview.html")
	if err := os.WriteFile(pagePath, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	want := expectedLabels(p)

	// 1. The page as written: the DOM chromium builds holds every label,
	// and loading it logs nothing (its CSP would log any load it blocks).
	dom, log := runChromium(t, bin, "file://"+pagePath, "--dump-dom")
	if lines := consoleLines(log); len(lines) > 0 {
		t.Errorf("console messages while loading the page:\n%s", strings.Join(lines, "\n"))
	}
	var got []string
	for _, m := range regexp.MustCompile(`<span class="label">([^<]*)</span>`).FindAllSubmatch(dom, -1) {
		got = append(got, html.UnescapeString(string(m[1])))
	}
	if !slices.Equal(want, got) {
		t.Errorf("labels in the rendered DOM:\n got %q\nwant %q", got, want)
	}

	// 2. A copy with a layout probe: every label is laid out, visible, and
	// fits its button without the browser's own ellipsis, so the page cuts
	// names off exactly where Shown does.
	rep := probe(t, bin, doc)
	got = nil
	for _, l := range rep.Labels {
		got = append(got, l.Text)
		if l.Width <= 0 || l.Height <= 0 {
			t.Errorf("label %q is not visible (%gx%g)", l.Text, l.Width, l.Height)
		}
		if l.Overflows {
			t.Errorf("label %q overflows its button: the page would cut it shorter than Shown does (without a CJK font, e.g. Debian's fonts-wqy-microhei, widths are wrong)", l.Text)
		}
	}
	if !slices.Equal(want, got) {
		t.Errorf("rendered label texts:\n got %q\nwant %q", got, want)
	}
	if n := 2 * len(p.comparisons()); len(rep.Phones) != n {
		t.Errorf("%d phones rendered, want %d", len(rep.Phones), n)
	}
	for _, w := range rep.Phones {
		if w != 390 {
			t.Errorf("a phone is %g px wide, want 390", w)
		}
	}

	// The review's parts are visible, in page order, each holding what it
	// is for; a plan that is not blocked has no banner.
	if n := len(rep.parts("div.blocked")); n != 0 {
		t.Errorf("a plan that is not blocked has %d banners", n)
	}
	var tops []float64
	for _, w := range []struct {
		selector string
		rows     int
		text     string
	}{
		{"section.calls", 4, "menu/delconditional"},
		{"section.changed-audience", -1, "sees a different menu"},
		{"table.buttons", -1, "VIP_CONTACT"}, // the key of a removed button
		{"section.priority", 2, "vip-ios (tag 101 (会员) on iOS, created by this plan)"},
		{"section.warnings", 1, "生日礼遇与积分…"},
		{"section.apply", 0, "To apply: save this plan with wxmenu plan -f menus.yaml --out plan.json"},
	} {
		parts := rep.parts(w.selector)
		if len(parts) == 0 {
			t.Errorf("the page has no %s", w.selector)
			continue
		}
		tops = append(tops, parts[0].Top)
		found := false
		for _, part := range parts {
			if !part.Visible {
				t.Errorf("%s is not visible: %+v", w.selector, part)
			}
			found = found || strings.Contains(part.Text, w.text)
		}
		if !found {
			t.Errorf("no %s holds %q", w.selector, w.text)
		}
		if w.rows >= 0 && parts[0].Rows != w.rows {
			t.Errorf("%s has %d rows or items, want %d", w.selector, parts[0].Rows, w.rows)
		}
	}
	if !slices.IsSorted(tops) {
		t.Errorf("the parts are not in the order calls, audiences, button fields, priority, warnings, how to apply: tops %v", tops)
	}

	// 3. A screenshot of the whole page: its size is the window's, and the
	// highlights of new and changed buttons are on it.
	shot := filepath.Join(dir, "shot.png")
	width, height := 1280, rep.Height
	runChromium(t, bin, "file://"+pagePath, "--screenshot="+shot, fmt.Sprintf("--window-size=%d,%d", width, height))
	img := readPNG(t, shot)
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
	for name, c := range map[string]color.RGBA{
		"changed": {0xff, 0xf3, 0xc4, 0xff},
		"added":   {0xdc, 0xf5, 0xdc, 0xff},
		"removed": {0xfd, 0xe2, 0xe2, 0xff},
	} {
		if n := countColor(img, c); n < 200 {
			t.Errorf("the %s highlight covers %d pixels of the screenshot, want at least 200", name, n)
		}
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func countColor(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				n++
			}
		}
	}
	return n
}

// TestBlockedBannerInHeadlessChromium opens a blocked plan's page, the
// sample's and the one wxmenu writes for the blocked golden plan: a red
// alert above everything else, in large type, names the rails and the
// override flags.
func TestBlockedBannerInHeadlessChromium(t *testing.T) {
	bin := chromium(t)
	golden, err := os.ReadFile(filepath.Join("..", "..", "testdata", "plans", "blocked.html"))
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"blockedPage": page(t, blockedPage(t)), "testdata/plans/blocked.html": golden} {
		t.Run(name, func(t *testing.T) {
			rep := probe(t, bin, doc)
			banners := rep.parts("div.blocked")
			if len(banners) != 1 {
				t.Fatalf("%d banners, want 1", len(banners))
			}
			b := banners[0]
			if !b.Visible || b.Role != "alert" || b.Background != "rgb(183, 28, 28)" || b.FontSize < 20 {
				t.Errorf("the banner is not a visible red alert in large type: %+v", b)
			}
			if header := rep.parts("header."); len(header) != 1 || b.Top > header[0].Top || b.Top > 100 {
				t.Errorf("the banner is not at the top of the page, above the header: banner %+v, header %+v", b, header)
			}
			for _, want := range []string{"BLOCKED", "(rail ", "override --allow-", "plan again with --allow-"} {
				if !strings.Contains(b.Text, want) {
					t.Errorf("the banner does not say %q:\n%s", want, b.Text)
				}
			}
		})
	}
}

// TestGroupedPageInHeadlessChromium opens the page wxmenu writes for the
// grouped golden project: the group of five accounts with the same steps
// is one review whose heading and accounts are visible and whose phones are
// drawn once, as many as for the account that differs; the blocked account
// is in the banner and on its own.
func TestGroupedPageInHeadlessChromium(t *testing.T) {
	bin := chromium(t)
	doc, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet", "groups.html"))
	if err != nil {
		t.Fatal(err)
	}
	rep := probe(t, bin, doc)
	articles := rep.parts("article.")
	if len(articles) != 4 {
		t.Fatalf("%d reviews, want 4: the group, store-0005, store-0006 (blocked), store-0007 (failed)", len(articles))
	}
	group := articles[0]
	heading, accounts := "5 accounts: the same 8 steps\n", "\nAccounts: store-0001…store-0004, store-0008\n"
	if !group.Visible || !strings.HasPrefix(group.Text, heading) || !strings.Contains(group.Text, accounts) {
		t.Errorf("the group's review does not begin %q and name %q: %+v", heading, accounts, group)
	}
	reviews := strings.Split(string(doc), "<article")[1:]
	if g, other := strings.Count(reviews[0], `class="phone"`), strings.Count(reviews[1], `class="phone"`); g == 0 || g != other {
		t.Errorf("the group draws %d phones, the account that differs %d: the group's are not drawn once", g, other)
	}
	banners := rep.parts("div.blocked")
	if len(banners) != 1 || !strings.Contains(banners[0].Text, "store-0006: ") || strings.Contains(banners[0].Text, "store-0001") {
		t.Errorf("the banner does not name the blocked account alone: %+v", banners)
	}
	if !strings.HasPrefix(articles[2].Text, "store-0006 (wx0000000000000006)") {
		t.Errorf("the blocked account's review begins %q", articles[2].Text[:min(len(articles[2].Text), 60)])
	}
}

// TestScreenshot writes docs/preview.png, the docs' screenshot of the HTML
// preview of the sample plan, with -update.
func TestScreenshot(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite docs/preview.png")
	}
	bin := chromium(t)
	p := samplePage(t)
	doc := page(t, p)
	rep := probe(t, bin, doc)
	path := filepath.Join(t.TempDir(), "preview.html")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := filepath.Abs(filepath.Join("..", "..", "docs", "preview.png"))
	if err != nil {
		t.Fatal(err)
	}
	runChromium(t, bin, "file://"+path, "--screenshot="+out, fmt.Sprintf("--window-size=1100,%d", rep.Height))
	img := readPNG(t, out)
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %dx%d, %d bytes", out, img.Bounds().Dx(), img.Bounds().Dy(), st.Size())
	if st.Size() > 400<<10 {
		t.Errorf("%s is %d bytes, keep it under 400 KiB", out, st.Size())
	}
}
