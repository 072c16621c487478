package desired

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const tagsBase = "default:\n  button:\n    - {type: click, name: a, key: A}\n"

func TestTagsDecode(t *testing.T) {
	ds, err := Parse("menus.yaml", []byte(tagsBase+"tags:\n  \"101\": vip\n  102: 员工\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]string{"101": "vip", "102": "员工"}, ds.Tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	without, err := Parse("menus.yaml", []byte(tagsBase))
	if err != nil {
		t.Fatal(err)
	}
	withoutDigest := without.Digest()
	if ds.Digest() == withoutDigest {
		t.Error("the tags: map does not change the digest")
	}
	without.Tags = map[string]string{}
	if without.Digest() != withoutDigest {
		t.Error("an empty tags: map changes the digest")
	}
}

func TestTagsErrors(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"tags: [101]\n", "menus.yaml:4:7: tags must be a mapping, got a list"},
		{"tags:\n  vip: \"101\"\n", `menus.yaml:5:3: tag id "vip" is not a number`},
		{"tags:\n  \"101\": \"\"\n", "menus.yaml:5:10: tag 101 has no name"},
		{"tags:\n  \"101\": " + strings.Repeat("x", 31) + "\n", "menus.yaml:5:10: tag 101's name is longer than WeChat's 30 characters"},
		{"tags:\n  \"101\": a\n  \"101\": b\n", "menus.yaml:6:3: tag 101 is named twice"},
	}
	for _, tt := range tests {
		_, err := Parse("menus.yaml", []byte(tagsBase+tt.yaml))
		if err == nil {
			t.Errorf("%q: no error, want %q", tt.yaml, tt.want)
			continue
		}
		if first, _, _ := strings.Cut(err.Error(), "\n"); first != tt.want {
			t.Errorf("%q: error %q, want %q", tt.yaml, first, tt.want)
		}
	}
}

func TestWarningsCutOffNames(t *testing.T) {
	ds, err := Parse("menus.yaml", []byte("default:\n  button:\n    - {type: click, name: 会员专享服, key: A}\n    - name: 服务\n      sub_button:\n        - {type: click, name: 生日礼遇与积分兑换说明, key: B}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if Validate(ds) != nil {
		t.Fatalf("a cut-off name made the file invalid: %v", Validate(ds))
	}
	var got []string
	for _, d := range Warnings(ds) {
		got = append(got, d.Path+":"+strings.SplitN(d.String(), ": ", 2)[0][len("menus.yaml:"):]+" "+d.Message)
	}
	want := []string{
		`menus.yaml:3:21 default menu: button[0].name "会员专享服" shows as "会员专享…" on the phone (10 of 8 width units; a CJK character is 2)`,
		`menus.yaml:6:25 default menu: button[1].sub_button[0].name "生日礼遇与积分兑换说明" shows as "生日礼遇与积分…" on the phone (22 of 14 width units; a CJK character is 2)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
