package wechat_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wxmenu/wxmenu/wechat"
	"github.com/wxmenu/wxmenu/wechat/wechattest"
)

func TestGetTags(t *testing.T) {
	emu, base := startEmulator(t)
	tok := emu.Default().IssueToken()
	for _, name := range []string{"vip", "员工"} {
		resp, err := http.Post(base+"/cgi-bin/tags/create?access_token="+tok, "application/json", strings.NewReader(`{"tag":{"name":"`+name+`"}}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	emu.AddUser(wechattest.User{OpenID: "o1", TagIDs: []string{"100"}, Platform: "1"})
	c, err := wechat.New(wechat.WithBaseURLs(base), wechat.WithCredentials(wechattest.DefaultAppID, wechattest.DefaultSecret))
	if err != nil {
		t.Fatal(err)
	}
	tags, err := c.GetTags(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The emulator lists the built-in star tag (id 2) first, as WeChat does.
	var got []string
	for _, tag := range tags {
		got = append(got, tag.ID+" "+tag.Name)
	}
	if len(got) < 3 || !cmp.Equal(got[len(got)-2:], []string{"100 vip", "101 员工"}) {
		t.Errorf("tags = %q, want the two created last as 100 vip and 101 员工", got)
	}
	if tags[len(tags)-2].Count != 1 {
		t.Errorf("tag 100 counts %d followers, want 1", tags[len(tags)-2].Count)
	}
	if n := emu.Calls()["tags/get"]; n != 1 {
		t.Errorf("tags/get called %d times, want 1", n)
	}
}
