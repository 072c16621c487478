package wechattest

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
)

// okAnswer is the success answer of calls that return nothing else.
var okAnswer = &apiError{0, "ok"}
