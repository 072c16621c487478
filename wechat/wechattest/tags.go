package wechattest

import (
	"slices"
	"strconv"

	"github.com/wxmenu/wxmenu/wechat"
)

// The user-tag API (用户标签管理): its endpoints, shapes, limits and codes,
// with their sources and the choices where these are silent, are in the
// fidelity table of docs/sandbox.md. tags/delete does not touch the
// conditional menus that name the tag. Each handler decodes only the fields
// its endpoint reads, so a wrong type elsewhere is ignored.
const (
	firstTagID        = 100
	maxTags           = 100
	maxTagNameBytes   = 30
	maxTagsPerUser    = 20
	maxOpenIDsPerCall = 50
	maxTagUsersPage   = 10000
	maxFansToDelete   = 100000
	starTagID         = 2
	starTagName       = "星标组"
)

// storedTag is a tag created on the account.
type storedTag struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type wireTag struct {
	storedTag
	Count *int `json:"count,omitempty"`
}

func (a *acct) tagIndexLocked(id int) int {
	return slices.IndexFunc(a.Tags, func(t storedTag) bool { return t.ID == id })
}

// tagExistsLocked reports whether a tag id is a tag of the account: the
// star tag or one it created.
func (a *acct) tagExistsLocked(id int) bool { return id == starTagID || a.tagIndexLocked(id) >= 0 }

// userTagLocked finds a tag the account created, for a change: 45058 for
// the system tags 0, 1 and 2, 45159 for an unknown id.
func (a *acct) userTagLocked(id int) (int, *apiError) {
	if id >= 0 && id <= 2 {
		return -1, errAnswer(wechat.CodeSystemTag)
	}
	if i := a.tagIndexLocked(id); i >= 0 {
		return i, nil
	}
	return -1, errAnswer(wechat.CodeInvalidTagID)
}

// untag removes tag id s from a follower's tags.
func untag(tags []string, s string) []string {
	return slices.DeleteFunc(tags, func(t string) bool { return t == s })
}

func (a *acct) tagFollowersLocked(id int) []string {
	s := strconv.Itoa(id)
	var out []string
	for _, u := range a.Users {
		if slices.Contains(u.TagIDs, s) {
			out = append(out, u.OpenID)
		}
	}
	return out
}

func (a *acct) checkTagNameLocked(name string, self int) *apiError {
	switch {
	case name == "":
		return errAnswer(wechat.CodeInvalidTagName)
	case len(name) > maxTagNameBytes:
		return errAnswer(wechat.CodeTagNameTooLong)
	case name == starTagName:
		return errAnswer(wechat.CodeInvalidTagName)
	}
	for _, t := range a.Tags {
		if t.Name == name && t.ID != self {
			return errAnswer(wechat.CodeInvalidTagName)
		}
	}
	return nil
}

func (a *acct) serveTagCreate(req struct {
	Tag struct {
		Name string `json:"name"`
	} `json:"tag"`
}) any {
	if err := a.checkTagNameLocked(req.Tag.Name, -1); err != nil {
		return err
	}
	if len(a.Tags) >= maxTags {
		return errAnswer(wechat.CodeTooManyTags)
	}
	a.LastTagID++
	t := storedTag{ID: a.LastTagID, Name: req.Tag.Name}
	a.Tags = append(a.Tags, t)
	return struct {
		Tag wireTag `json:"tag"`
	}{wireTag{storedTag: t}}
}

func (a *acct) serveTagGet(*call) any {
	count := func(id int) *int { n := len(a.tagFollowersLocked(id)); return &n }
	out := []wireTag{{storedTag{starTagID, starTagName}, count(starTagID)}}
	for _, t := range a.Tags {
		out = append(out, wireTag{t, count(t.ID)})
	}
	return struct {
		Tags []wireTag `json:"tags"`
	}{out}
}

func (a *acct) serveTagUpdate(req struct {
	Tag storedTag `json:"tag"`
}) any {
	i, err := a.userTagLocked(req.Tag.ID)
	if err != nil {
		return err
	}
	if err := a.checkTagNameLocked(req.Tag.Name, req.Tag.ID); err != nil {
		return err
	}
	a.Tags[i].Name = req.Tag.Name
	return okAnswer
}

func (a *acct) serveTagDelete(req struct {
	Tag struct {
		ID int `json:"id"`
	} `json:"tag"`
}) any {
	i, err := a.userTagLocked(req.Tag.ID)
	if err != nil {
		return err
	}
	if len(a.tagFollowersLocked(req.Tag.ID)) > maxFansToDelete {
		return errAnswer(wechat.CodeTagHasTooManyFans)
	}
	a.Tags = slices.Delete(a.Tags, i, i+1)
	s := strconv.Itoa(req.Tag.ID)
	for j := range a.Users {
		a.Users[j].TagIDs = untag(a.Users[j].TagIDs, s)
	}
	return okAnswer
}

// followerLocked finds a follower by OpenID: 40003 when unknown anywhere,
// 49003 when a follower of another account.
func (a *acct) followerLocked(openID string) (int, *apiError) {
	if i := slices.IndexFunc(a.Users, func(u User) bool { return u.OpenID == openID }); i >= 0 && openID != "" {
		return i, nil
	}
	for _, other := range a.emu.accounts {
		if other != a && slices.ContainsFunc(other.Users, func(u User) bool { return u.OpenID == openID }) && openID != "" {
			return -1, errAnswer(wechat.CodeOpenIDNotOfAppID)
		}
	}
	return -1, errAnswer(wechat.CodeInvalidOpenID)
}

type batchTagReq struct {
	OpenIDs []string `json:"openid_list"`
	TagID   int      `json:"tagid"`
}

// batchTag serves tags/members/batchtagging (tag) and batchuntagging.
// Nothing changes unless every OpenID is valid. Tagging moves a tag already
// on a follower to the end: it becomes the most recently applied one, which
// decides tag matching (reference §3).
func batchTag(tag bool) func(*acct, batchTagReq) any {
	return func(a *acct, req batchTagReq) any {
		if len(req.OpenIDs) == 0 || len(req.OpenIDs) > maxOpenIDsPerCall {
			return errAnswer(wechat.CodeInvalidOpenIDListSize)
		}
		if !a.tagExistsLocked(req.TagID) {
			return errAnswer(wechat.CodeInvalidTagID)
		}
		idx := make([]int, 0, len(req.OpenIDs))
		for _, id := range req.OpenIDs {
			i, err := a.followerLocked(id)
			if err != nil {
				return err
			}
			idx = append(idx, i)
		}
		s := strconv.Itoa(req.TagID)
		for _, i := range idx {
			tags := a.Users[i].TagIDs
			if tag && !slices.Contains(tags, s) && len(tags) >= maxTagsPerUser {
				return errAnswer(wechat.CodeUserTooManyTags)
			}
		}
		for _, i := range idx {
			u := &a.Users[i]
			u.TagIDs = untag(u.TagIDs, s)
			if tag {
				u.TagIDs = append(u.TagIDs, s)
			}
		}
		return okAnswer
	}
}

func (a *acct) serveTagIDList(req struct {
	OpenID string `json:"openid"`
}) any {
	i, err := a.followerLocked(req.OpenID)
	if err != nil {
		return err
	}
	ids := []int{}
	for _, t := range a.Users[i].TagIDs {
		if n, err := strconv.Atoi(t); err == nil {
			ids = append(ids, n)
		}
	}
	return struct {
		TagIDs []int `json:"tagid_list"`
	}{ids}
}

// serveTagUsers is user/tag/get: followers of a tag, 10,000 a page, from
// after next_openid. The last page's next_openid is its last OpenID (as
// WeChat's user list does), an empty page's is "".
func (a *acct) serveTagUsers(req struct {
	TagID      int    `json:"tagid"`
	NextOpenID string `json:"next_openid"`
}) any {
	if !a.tagExistsLocked(req.TagID) {
		return errAnswer(wechat.CodeInvalidTagID)
	}
	all := a.tagFollowersLocked(req.TagID)
	if req.NextOpenID != "" {
		i := slices.Index(all, req.NextOpenID)
		if i < 0 {
			return errAnswer(wechat.CodeInvalidOpenID)
		}
		all = all[i+1:]
	}
	page := all[:min(len(all), maxTagUsersPage)]
	type data struct {
		OpenIDs []string `json:"openid"`
	}
	out := struct {
		Count      int    `json:"count"`
		Data       data   `json:"data"`
		NextOpenID string `json:"next_openid"`
	}{Count: len(page), Data: data{OpenIDs: append([]string{}, page...)}}
	if len(page) > 0 {
		out.NextOpenID = page[len(page)-1]
	}
	return out
}
