package preview

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
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

var writeScreenshot = flag.Bool("preview.screenshot", false, "write testdata/preview.png, the README's screenshot of the HTML preview")

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
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify({labels: labels, phones: phones,
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
	Phones        []float64
	Width, Height int
}

// expectedLabels returns the names the phones show, in page order.
func expectedLabels(p Page) []string {
	var out []string
	for _, c := range p.Comparisons {
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
	probed := strings.Replace(string(doc), "default-src 'none'; style-src 'unsafe-inline'", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'", 1)
	probed = strings.Replace(probed, "</body>", layoutProbe+"\n</body>", 1)
	probePath := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(probePath, []byte(probed), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, log = runChromium(t, bin, "file://"+probePath, "--dump-dom", "--window-size=1280,800")
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
	if n := 2 * len(p.Comparisons); len(rep.Phones) != n {
		t.Errorf("%d phones rendered, want %d", len(rep.Phones), n)
	}
	for _, w := range rep.Phones {
		if w != 390 {
			t.Errorf("a phone is %g px wide, want 390", w)
		}
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

// TestScreenshot writes the README's screenshot with -preview.screenshot:
// the first two audiences of the sample page.
func TestScreenshot(t *testing.T) {
	if !*writeScreenshot {
		t.Skip("run with -preview.screenshot to rewrite testdata/preview.png")
	}
	bin := chromium(t)
	p := samplePage(t)
	p.Comparisons = p.Comparisons[:2]
	path := filepath.Join(t.TempDir(), "preview.html")
	if err := os.WriteFile(path, page(t, p), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := filepath.Abs(filepath.Join("testdata", "preview.png"))
	if err != nil {
		t.Fatal(err)
	}
	runChromium(t, bin, "file://"+path, "--screenshot="+out, "--window-size=1000,760")
	img := readPNG(t, out)
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %dx%d, %d bytes", out, img.Bounds().Dx(), img.Bounds().Dy(), st.Size())
	if st.Size() > 100<<10 {
		t.Errorf("%s is %d bytes, keep it under 100 KiB", out, st.Size())
	}
}
