package wechattest

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"
)

// apiError is a WeChat error answer: HTTP 200 with {"errcode":N,"errmsg":"..."}.
type apiError struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

// Error answers, with WeChat's own errmsg where one has been observed
// (reference §5). Messages marked "ours" were never seen on the wire and are
// worded after the Chinese description of the code.
var (
	errSystemBusy        = &apiError{-1, "system error"}
	errInvalidCredential = &apiError{40001, "invalid credential, access_token is invalid or not latest"}
	errInvalidGrantType  = &apiError{40002, "invalid grant_type"}
	errInvalidAppID      = &apiError{40013, "invalid appid"}
	errInvalidAppSecret  = &apiError{40125, "invalid appsecret"}
	errAppIDMissing      = &apiError{41002, "appid missing"}
	errSecretMissing     = &apiError{41004, "appsecret missing"}
	errInvalidParam      = &apiError{40035, "invalid parameter"}

	errButtonSize      = &apiError{40016, "invalid button size"}
	errButtonType      = &apiError{40017, "invalid button type"}
	errButtonName      = &apiError{40018, "invalid button name size"}
	errButtonKey       = &apiError{40019, "invalid button key size"}
	errButtonURL       = &apiError{40020, "invalid button url size"}
	errSubMenuLevel    = &apiError{40022, "invalid sub_menu level"}
	errSubButtonSize   = &apiError{40023, "invalid sub button size"}
	errSubButtonType   = &apiError{40024, "invalid sub button type"}
	errSubButtonName   = &apiError{40025, "invalid sub button name size"}
	errSubButtonKey    = &apiError{40026, "invalid sub button key size"}
	errSubButtonURL    = &apiError{40027, "invalid sub button url size"}
	errSubButtonDomain = &apiError{40054, "invalid sub button url domain"}
	errButtonDomain    = &apiError{40055, "invalid button url domain"}

	errTokenMissing  = &apiError{41001, "access_token missing"}
	errTokenExpired  = &apiError{42001, "access_token expired"}
	errRequirePOST   = &apiError{43002, "require POST method"}
	errEmptyPostData = &apiError{44002, "empty post data"}
	errDailyQuota    = &apiError{45009, "reach max api daily quota limit"}
	errMenuNoExist   = &apiError{46003, "menu no exist"}
	errDataFormat    = &apiError{47001, "data format error"}

	errNotConditional    = &apiError{65301, "this menu is not conditionalmenu"}
	errNoSuchUser        = &apiError{65302, "no such user"}
	errNoSelfMenu        = &apiError{65303, "there is no selfmenu, please create selfmenu first"}
	errMatchRuleEmpty    = &apiError{65304, "match rule empty"}
	errConditionalLimit  = &apiError{65305, "conditional menu count limit"} // ours
	errNoResponseType    = &apiError{65308, "button without response type"} // ours
	errTooManyURLDomains = &apiError{65316, "too many url domains in menu"} // ours
	errMustUseUTF8       = &apiError{65318, "must use utf-8 charset"}
	errPrivacyMatchRule  = &apiError{65320, "matchrule contains privacy fields"} // ours

	// 40033: the wording WeChat uses [issue:budjb/http-requests#4]
	// [sdk:WxJava WxMpErrorMsgEnum] (reference §5).
	errEscapedCharset = &apiError{40033, `invalid charset. please check your request, if include \uxxxx will create fail!`}

	// Account kinds (reference §1.4, §5).
	errAPIUnauthorized        = &apiError{48001, "api unauthorized"}
	errNoConditionalOnAccount = &apiError{65306, "account does not support conditional menu"} // ours

	// User tags: English errmsg from WxJava's WxMpErrorMsgEnum, meanings
	// from the tag API page (see tags.go).
	errInvalidOpenID    = &apiError{40003, "invalid openid"}
	errOpenIDListSize   = &apiError{40032, "invalid openid list size"}
	errTooManyTags      = &apiError{45056, "too many tag now, no need to add new"}
	errTagTooManyFans   = &apiError{45057, "can't delete the tag that has too many fans"}
	errSysTag           = &apiError{45058, "can't modify sys tag"}
	errUserTooManyTags  = &apiError{45059, "can not tagging one user too much"}
	errInvalidTagName   = &apiError{45157, "invalid tag name"}
	errTagNameTooLong   = &apiError{45158, "tag name too long"}
	errInvalidTagID     = &apiError{45159, "invalid tag id"}
	errOpenIDNotOfAppID = &apiError{49003, "not match openid with appid"} // ours

	// Third-party platform (platform-review research §1.3, §1.9). Messages
	// marked "seen" were observed on the wire; the others are ours.
	errComponentNotAuthorized = &apiError{61003, "component is not authorized by this account"} // ours
	errTicketExpired          = &apiError{61005, "component ticket is expired"}                 // seen
	errTicketInvalid          = &apiError{61006, "component ticket is invalid"}                 // ours after 61005's pattern
	errComponentAPIUnauth     = &apiError{61007, "api is unauthorized to component"}            // ours
	errInvalidComponent       = &apiError{61011, "invalid component"}                           // WxJava's table
	errRefreshTokenInvalid    = &apiError{61023, "refresh_token is invalid"}                    // seen
	errInvalidAuthCode        = &apiError{40029, "invalid code"}                                // global table; UNCONFIRMED for api_query_auth
)

// errCallerIPNotWhitelisted is 40164 with the caller's IP, worded exactly
// like the answers seen: "invalid ip 118.190.42.90 ipv6
// ::ffff:118.190.42.90, not in whitelist rid: 60196b9b-4c5ba79c-066b49c8"
// (reference §5 [community:csdn-40164]; the same shape in many samples
// quoted in public code found by code search).
func errCallerIPNotWhitelisted(ip string) *apiError {
	return &apiError{40164, fmt.Sprintf("invalid ip %s ipv6 ::ffff:%s, not in whitelist", ip, ip)}
}

// errPlatformIPNotRegistered is 61004 with the caller's IP, as seen
// ("access clientip is not registered requestIP: …", research §1.9).
func errPlatformIPNotRegistered(ip string) *apiError {
	return &apiError{61004, "access clientip is not registered requestIP: " + ip}
}

// withRequestID gives an error answer WeChat's request id: every real
// errmsg ends in " rid: " and three groups of eight hex digits, the first
// being the Unix time of the request ("… rid: 630ecbee-28894bea-0ee8d49c",
// 0x630ecbee = 2022-08-31, the day it was reported
// [issue:wangxinleo/wechat-public-account-push#66]; "… rid:
// 6899a148-5929c88a-767d57ca" [issue:w7corp/easywechat#2963]). Older answers
// ended in "hint: [...]" instead; the emulator speaks today's format.
// Success answers (errcode 0) carry none, like WeChat's.
func withRequestID(answer any, now time.Time) any {
	err, ok := answer.(*apiError)
	if !ok || err.Code == 0 {
		return answer
	}
	return &apiError{err.Code, err.Msg + " rid: " + newRequestID(now)}
}

func newRequestID(now time.Time) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%08x-%08x-%08x", uint32(now.Unix()), binary.BigEndian.Uint32(b[:4]), binary.BigEndian.Uint32(b[4:]))
}

// okAnswer is the success answer of calls that return nothing else.
var okAnswer = &apiError{0, "ok"}
