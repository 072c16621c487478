package wechat

import "cmp"

// WeChat errcodes that the client, the emulator or the CLI name; errorCodes
// below has every code known. Menu codes are from WeChat's global
// return-code table (the API reference §5); the tag codes from the user-tag
// page; the 61xxx codes of the third-party platform path from the
// open-platform return-code table (platform research §1.9).
const (
	CodeSystemBusy             = -1
	CodeInvalidCredential      = 40001 // wrong app secret, or access token invalid or not the latest
	CodeInvalidGrantType       = 40002
	CodeInvalidOpenID          = 40003
	CodeInvalidAppID           = 40013
	CodeInvalidAccessToken     = 40014
	CodeInvalidButtonCount     = 40016
	CodeInvalidButtonType      = 40017
	CodeInvalidButtonName      = 40018
	CodeInvalidButtonKey       = 40019
	CodeInvalidButtonURL       = 40020
	CodeInvalidSubMenuLevel    = 40022
	CodeInvalidSubButtonCount  = 40023
	CodeInvalidSubButtonType   = 40024
	CodeInvalidSubButtonName   = 40025
	CodeInvalidSubButtonKey    = 40026
	CodeInvalidSubButtonURL    = 40027
	CodeMenuAPINotAllowed      = 40028
	CodeInvalidAuthCode        = 40029
	CodeInvalidOpenIDListSize  = 40032
	CodeInvalidCharset         = 40033 // the body contains \uxxxx escapes
	CodeInvalidParameter       = 40035
	CodeInvalidSubButtonDomain = 40054
	CodeInvalidButtonDomain    = 40055
	CodeInvalidAppSecret       = 40125
	CodeIPNotWhitelisted       = 40164
	CodeAccessTokenMissing     = 41001
	CodeAppIDMissing           = 41002
	CodeAppSecretMissing       = 41004
	CodeAccessTokenExpired     = 42001
	CodePostRequired           = 43002
	CodeEmptyPostBody          = 44002
	CodeDailyQuota             = 45009
	CodeMinuteQuota            = 45011
	CodeTooManyTags            = 45056
	CodeTagHasTooManyFans      = 45057
	CodeSystemTag              = 45058 // tags 0, 1 and 2 cannot be changed
	CodeUserTooManyTags        = 45059
	CodeInvalidTagName         = 45157
	CodeTagNameTooLong         = 45158
	CodeInvalidTagID           = 45159
	CodeMenuNotExist           = 46003
	CodeMalformedData          = 47001
	CodeAPIUnauthorized        = 48001
	CodeAPIBanned              = 48004
	CodeOpenIDNotOfAppID       = 49003

	CodePlatformNotAuthorized   = 61003 // the account has not authorized this platform
	CodePlatformIPNotRegistered = 61004 // caller ip not in the platform's whitelist
	CodeVerifyTicketExpired     = 61005
	CodeVerifyTicketInvalid     = 61006
	CodePermissionSetNotGranted = 61007 // the api's permission set is not granted to the platform
	CodeInvalidComponent        = 61011
	CodeRefreshTokenInvalid     = 61023

	CodeNoConditionalMenu       = 65301
	CodeNoSuchUser              = 65302
	CodeNoDefaultMenu           = 65303
	CodeMatchRuleEmpty          = 65304
	CodeConditionalLimit        = 65305
	CodeConditionalNotSupported = 65306
	CodeButtonWithoutType       = 65308
	CodeTooManyURLDomains       = 65316
	CodeNotUTF8                 = 65318
	CodePrivacyMatchRule        = 65320
)

// errorCode is what is known of one errcode: WeChat's own errmsg, which the
// emulator (wechattest) answers, our meaning, which the client shows when
// WeChat sent no errmsg ("" where the errmsg says it as well), and for
// errcodes that no change to the menus file can fix (account kind, access
// and platform errors) a hint saying what an operator should do, safe to
// follow as written (APIError.Hint).
type errorCode struct{ meaning, errmsg, hint string }

// errorCodes are the errcodes the menu, tag and token APIs and the platform
// token path return, translated from WeChat's return-code tables. The
// errmsg is WeChat's where one was seen on the wire (reference §5, the
// platform research §1.9, WxJava's WxMpErrorMsgEnum and WxOpenErrorMsgEnum
// for the tag and platform codes); rows marked "ours" were never seen and are
// worded after the Chinese description; "" where the emulator never answers
// the code or words it itself (40164, 61004 name the caller's ip). 65315
// and 65319 are undocumented and deliberately absent. It is read only
// through ErrorCodeMeaning, ErrorMessage and APIError.Hint, so no caller
// can change it.
var errorCodes = map[int]errorCode{
	CodeSystemBusy:             {"system busy, retry later", "system error", ""},
	CodeInvalidCredential:      {"invalid credential: wrong app secret, or access token invalid or not the latest", "invalid credential, access_token is invalid or not latest", "check the appid and app secret (or the token source); a token fetched with cgi-bin/token elsewhere invalidates older ones, so prefer stable_token everywhere"},
	CodeInvalidGrantType:       {"", "invalid grant_type", ""},
	CodeInvalidOpenID:          {"", "invalid openid", ""},
	CodeInvalidAppID:           {"", "invalid appid", ""},
	CodeInvalidAccessToken:     {"invalid access token", "", "the access token is not valid for this account: check which account the token source serves"},
	40015:                      {"invalid menu type", "", ""},
	CodeInvalidButtonCount:     {"invalid number of buttons", "invalid button size", ""},
	CodeInvalidButtonType:      {"", "invalid button type", ""},
	CodeInvalidButtonName:      {"invalid button name length", "invalid button name size", ""},
	CodeInvalidButtonKey:       {"invalid button key length", "invalid button key size", ""},
	CodeInvalidButtonURL:       {"invalid button url length", "invalid button url size", ""},
	40021:                      {"invalid menu version", "", ""},
	CodeInvalidSubMenuLevel:    {"invalid sub-menu level", "invalid sub_menu level", ""},
	CodeInvalidSubButtonCount:  {"invalid number of sub-buttons", "invalid sub button size", ""},
	CodeInvalidSubButtonType:   {"invalid sub-button type", "invalid sub button type", ""},
	CodeInvalidSubButtonName:   {"invalid sub-button name length", "invalid sub button name size", ""},
	CodeInvalidSubButtonKey:    {"invalid sub-button key length", "invalid sub button key size", ""},
	CodeInvalidSubButtonURL:    {"invalid sub-button url length", "invalid sub button url size", ""},
	CodeMenuAPINotAllowed:      {"account may not use the custom menu api", "", "the account may not use the custom menu api: check its type and verification in the console"},
	CodeInvalidAuthCode:        {"invalid authorization code", "invalid code", ""}, // global table; UNCONFIRMED for api_query_auth
	CodeInvalidOpenIDListSize:  {"", "invalid openid list size", ""},
	CodeInvalidCharset:         {"invalid charset: the body must not contain \\uxxxx escapes", `invalid charset. please check your request, if include \uxxxx will create fail!`, ""}, // [issue:budjb/http-requests#4] [sdk:WxJava WxMpErrorMsgEnum]
	CodeInvalidParameter:       {"", "invalid parameter", ""},
	CodeInvalidSubButtonDomain: {"invalid sub-button url domain", "invalid sub button url domain", ""},
	CodeInvalidButtonDomain:    {"", "invalid button url domain", ""},
	40119:                      {"button type error", "", ""},
	40120:                      {"button type error", "", ""},
	CodeInvalidAppSecret:       {"invalid app secret", "invalid appsecret", "check the app secret: it may have been reset in the console"},
	CodeIPNotWhitelisted:       {"caller ip not in the account's whitelist", "", "add this runner's public ip to the account's ip whitelist (mp.weixin.qq.com, settings and development, basic configuration)"},
	CodeAccessTokenMissing:     {"access token missing", "access_token missing", ""},
	CodeAppIDMissing:           {"", "appid missing", ""},
	CodeAppSecretMissing:       {"app secret missing", "appsecret missing", ""},
	41007:                      {"missing sub-menu data", "", ""},
	CodeAccessTokenExpired:     {"access token expired", "access_token expired", "the access token expired and no fresh one could be used: check the token source"},
	CodePostRequired:           {"post method required", "require POST method", ""},
	CodeEmptyPostBody:          {"empty post body", "empty post data", ""},
	CodeDailyQuota:             {"daily api quota reached", "reach max api daily quota limit", "the daily quota is used up: wait for the reset at midnight beijing time, or clear it in the console (a limited number of resets a month)"},
	45010:                      {"too many menus created", "", ""},
	CodeMinuteQuota:            {"per-minute api rate limit reached, retry next minute", "", "the per-minute limit is reached: retry in a minute"},
	CodeTooManyTags:            {"", "too many tag now, no need to add new", ""},
	CodeTagHasTooManyFans:      {"", "can't delete the tag that has too many fans", ""},
	CodeSystemTag:              {"", "can't modify sys tag", ""},
	CodeUserTooManyTags:        {"", "can not tagging one user too much", ""},
	CodeInvalidTagName:         {"", "invalid tag name", ""},
	CodeTagNameTooLong:         {"", "tag name too long", ""},
	CodeInvalidTagID:           {"", "invalid tag id", ""},
	46002:                      {"menu version does not exist", "", ""},
	CodeMenuNotExist:           {"no menu exists", "menu no exist", ""},
	CodeMalformedData:          {"malformed request data", "data format error", ""},
	CodeAPIUnauthorized:        {"api not authorized for this account", "api unauthorized", "the account may not call this api: verify the account (unverified accounts cannot use the menu api), or check that its type (subscription or service) has the permission"},
	CodeAPIBanned:              {"api banned for this account", "", "the api is banned for this account: see the console's notices"},
	CodeOpenIDNotOfAppID:       {"", "not match openid with appid", ""}, // ours

	CodePlatformNotAuthorized:   {"account not authorized to this third-party platform", "component is not authorized by this account", "the account has not authorized this third-party platform: the merchant must authorize it again"}, // ours
	CodePlatformIPNotRegistered: {"caller ip not registered in the third-party platform's whitelist", "", "add this runner's public ip to the third-party platform's ip whitelist (open.weixin.qq.com, platform details, development settings)"},
	CodeVerifyTicketExpired:     {"component verify ticket expired", "component ticket is expired", "the component verify ticket expired (valid 12 h): give the latest ticket WeChat pushed"},
	CodeVerifyTicketInvalid:     {"component verify ticket invalid", "component ticket is invalid", "the component verify ticket is not valid: give the latest ticket WeChat pushed to the platform"},                                                                     // ours, after 61005's
	CodePermissionSetNotGranted: {"api permission set not granted to the third-party platform", "api is unauthorized to component", "the merchant has not granted the permission set this api needs (15, menu management): ask them to authorize it again with that set"}, // ours
	CodeInvalidComponent:        {"invalid component appid", "invalid component", "check the component appid: it must be the third-party platform's appid"},
	CodeRefreshTokenInvalid:     {"authorizer refresh token invalid", "refresh_token is invalid", "the authorizer refresh token is not valid, even after re-reading it from the authorizer list: the merchant must authorize the platform again"},

	CodeNoConditionalMenu:       {"no conditional menu with this menuid", "this menu is not conditionalmenu", ""},
	CodeNoSuchUser:              {"", "no such user", ""},
	CodeNoDefaultMenu:           {"no default menu: create the default menu before conditional menus", "there is no selfmenu, please create selfmenu first", ""},
	CodeMatchRuleEmpty:          {"", "match rule empty", ""},
	CodeConditionalLimit:        {"conditional menu count limit reached", "conditional menu count limit", ""},                                                                                                                                                                       // ours
	CodeConditionalNotSupported: {"account does not support conditional menus", "account does not support conditional menu", "the account may not use conditional menus (they need a verified account): verify it in the console, or remove the conditional menus from menus.yaml"}, // ours
	65307:                       {"conditional menu info empty", "", ""},
	CodeButtonWithoutType:       {"a button has no response type", "button without response type", ""}, // ours
	65309:                       {"conditional menus are switched off", "", ""},
	65310:                       {"province or city given without country", "", ""},
	65311:                       {"city given without province", "", ""},
	65312:                       {"invalid country", "", ""},
	65313:                       {"invalid province", "", ""},
	65314:                       {"invalid city", "", ""},
	CodeTooManyURLDomains:       {"too many url domains across conditional menus (max 3)", "too many url domains in menu", ""}, // ours
	65317:                       {"invalid url", "", ""},
	CodeNotUTF8:                 {"body must be utf-8", "must use utf-8 charset", ""},
	CodePrivacyMatchRule:        {"match rule uses privacy fields (sex, region, language), no longer supported", "matchrule contains privacy fields", ""}, // ours
}

// ErrorCodeMeaning returns a short English meaning of a WeChat errcode, or ""
// when the code is not one the menu API is known to return.
func ErrorCodeMeaning(code int) string {
	return cmp.Or(errorCodes[code].meaning, errorCodes[code].errmsg)
}

// ErrorMessage returns the errmsg WeChat answers with code, as the emulator
// answers it, or "" when none is known.
func ErrorMessage(code int) string { return errorCodes[code].errmsg }
