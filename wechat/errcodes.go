package wechat

// WeChat errcodes, named. Menu codes are from WeChat's global return-code
// table (the API reference §5); the 61xxx codes of the third-party platform
// path from the open-platform return-code table (platform research §1.9).
const (
	CodeSystemBusy             = -1
	CodeInvalidCredential      = 40001 // wrong app secret, or access token invalid or not the latest
	CodeInvalidAppID           = 40013
	CodeInvalidAccessToken     = 40014
	CodeInvalidMenuType        = 40015
	CodeInvalidButtonCount     = 40016
	CodeInvalidButtonType      = 40017
	CodeInvalidButtonName      = 40018
	CodeInvalidButtonKey       = 40019
	CodeInvalidButtonURL       = 40020
	CodeInvalidMenuVersion     = 40021
	CodeInvalidSubMenuLevel    = 40022
	CodeInvalidSubButtonCount  = 40023
	CodeInvalidSubButtonType   = 40024
	CodeInvalidSubButtonName   = 40025
	CodeInvalidSubButtonKey    = 40026
	CodeInvalidSubButtonURL    = 40027
	CodeMenuAPINotAllowed      = 40028
	CodeInvalidCharset         = 40033 // the body contains \uxxxx escapes
	CodeInvalidSubButtonDomain = 40054
	CodeInvalidButtonDomain    = 40055
	CodeButtonTypeError        = 40119
	CodeButtonTypeError2       = 40120
	CodeInvalidAppSecret       = 40125
	CodeIPNotWhitelisted       = 40164
	CodeAccessTokenMissing     = 41001
	CodeAppSecretMissing       = 41004
	CodeSubMenuMissing         = 41007
	CodeAccessTokenExpired     = 42001
	CodePostRequired           = 43002
	CodeEmptyPostBody          = 44002
	CodeDailyQuota             = 45009
	CodeTooManyMenus           = 45010
	CodeMinuteQuota            = 45011
	CodeMenuVersionNotExist    = 46002
	CodeMenuNotExist           = 46003
	CodeMalformedData          = 47001
	CodeAPIUnauthorized        = 48001
	CodeAPIBanned              = 48004

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
	CodeConditionalMenuEmpty    = 65307
	CodeButtonWithoutType       = 65308
	CodeConditionalSwitchedOff  = 65309
	CodeRegionWithoutCountry    = 65310
	CodeCityWithoutProvince     = 65311
	CodeInvalidCountry          = 65312
	CodeInvalidProvince         = 65313
	CodeInvalidCity             = 65314
	CodeTooManyURLDomains       = 65316
	CodeInvalidURL              = 65317
	CodeNotUTF8                 = 65318
	CodePrivacyMatchRule        = 65320
)

// errorCodeMeanings are short English meanings of the errcodes the menu API
// and the platform token path return, translated from WeChat's return-code
// tables. 65315 and 65319 are undocumented and deliberately absent. It is
// read only through ErrorCodeMeaning, so no caller can change it.
var errorCodeMeanings = map[int]string{
	CodeSystemBusy:             "system busy, retry later",
	CodeInvalidCredential:      "invalid credential: wrong app secret, or access token invalid or not the latest",
	CodeInvalidAppID:           "invalid appid",
	CodeInvalidAccessToken:     "invalid access token",
	CodeInvalidMenuType:        "invalid menu type",
	CodeInvalidButtonCount:     "invalid number of buttons",
	CodeInvalidButtonType:      "invalid button type",
	CodeInvalidButtonName:      "invalid button name length",
	CodeInvalidButtonKey:       "invalid button key length",
	CodeInvalidButtonURL:       "invalid button url length",
	CodeInvalidMenuVersion:     "invalid menu version",
	CodeInvalidSubMenuLevel:    "invalid sub-menu level",
	CodeInvalidSubButtonCount:  "invalid number of sub-buttons",
	CodeInvalidSubButtonType:   "invalid sub-button type",
	CodeInvalidSubButtonName:   "invalid sub-button name length",
	CodeInvalidSubButtonKey:    "invalid sub-button key length",
	CodeInvalidSubButtonURL:    "invalid sub-button url length",
	CodeMenuAPINotAllowed:      "account may not use the custom menu api",
	CodeInvalidCharset:         "invalid charset: the body must not contain \\uxxxx escapes",
	CodeInvalidSubButtonDomain: "invalid sub-button url domain",
	CodeInvalidButtonDomain:    "invalid button url domain",
	CodeButtonTypeError:        "button type error",
	CodeButtonTypeError2:       "button type error",
	CodeInvalidAppSecret:       "invalid app secret",
	CodeIPNotWhitelisted:       "caller ip not in the account's whitelist",
	CodeAccessTokenMissing:     "access token missing",
	CodeAppSecretMissing:       "app secret missing",
	CodeSubMenuMissing:         "missing sub-menu data",
	CodeAccessTokenExpired:     "access token expired",
	CodePostRequired:           "post method required",
	CodeEmptyPostBody:          "empty post body",
	CodeDailyQuota:             "daily api quota reached",
	CodeTooManyMenus:           "too many menus created",
	CodeMinuteQuota:            "per-minute api rate limit reached, retry next minute",
	CodeMenuVersionNotExist:    "menu version does not exist",
	CodeMenuNotExist:           "no menu exists",
	CodeMalformedData:          "malformed request data",
	CodeAPIUnauthorized:        "api not authorized for this account",
	CodeAPIBanned:              "api banned for this account",

	CodePlatformNotAuthorized:   "account not authorized to this third-party platform",
	CodePlatformIPNotRegistered: "caller ip not registered in the third-party platform's whitelist",
	CodeVerifyTicketExpired:     "component verify ticket expired",
	CodeVerifyTicketInvalid:     "component verify ticket invalid",
	CodePermissionSetNotGranted: "api permission set not granted to the third-party platform",
	CodeInvalidComponent:        "invalid component appid",
	CodeRefreshTokenInvalid:     "authorizer refresh token invalid",

	CodeNoConditionalMenu:       "no conditional menu with this menuid",
	CodeNoSuchUser:              "no such user",
	CodeNoDefaultMenu:           "no default menu: create the default menu before conditional menus",
	CodeMatchRuleEmpty:          "match rule empty",
	CodeConditionalLimit:        "conditional menu count limit reached",
	CodeConditionalNotSupported: "account does not support conditional menus",
	CodeConditionalMenuEmpty:    "conditional menu info empty",
	CodeButtonWithoutType:       "a button has no response type",
	CodeConditionalSwitchedOff:  "conditional menus are switched off",
	CodeRegionWithoutCountry:    "province or city given without country",
	CodeCityWithoutProvince:     "city given without province",
	CodeInvalidCountry:          "invalid country",
	CodeInvalidProvince:         "invalid province",
	CodeInvalidCity:             "invalid city",
	CodeTooManyURLDomains:       "too many url domains across conditional menus (max 3)",
	CodeInvalidURL:              "invalid url",
	CodeNotUTF8:                 "body must be utf-8",
	CodePrivacyMatchRule:        "match rule uses privacy fields (sex, region, language), no longer supported",
}

// ErrorCodeMeaning returns a short English meaning of a WeChat errcode, or ""
// when the code is not one the menu API is known to return.
func ErrorCodeMeaning(code int) string { return errorCodeMeanings[code] }

// errorCodeHints say what an operator should do about errcodes that no
// change to the menus file can fix: account kind, access and platform
// errors. Each is safe to follow as written.
var errorCodeHints = map[int]string{
	CodeInvalidCredential:       "check the appid and app secret (or the token source); a token fetched with cgi-bin/token elsewhere invalidates older ones, so prefer stable_token everywhere",
	CodeInvalidAppSecret:        "check the app secret: it may have been reset in the console",
	CodeInvalidAccessToken:      "the access token is not valid for this account: check which account the token source serves",
	CodeAccessTokenExpired:      "the access token expired and no fresh one could be used: check the token source",
	CodeIPNotWhitelisted:        "add this runner's public ip to the account's ip whitelist (mp.weixin.qq.com, settings and development, basic configuration)",
	CodeAPIUnauthorized:         "the account may not call this api: verify the account (unverified accounts cannot use the menu api), or check that its type (subscription or service) has the permission",
	CodeMenuAPINotAllowed:       "the account may not use the custom menu api: check its type and verification in the console",
	CodeAPIBanned:               "the api is banned for this account: see the console's notices",
	CodeConditionalNotSupported: "the account may not use conditional menus (they need a verified account): verify it in the console, or remove the conditional menus from menus.yaml",
	CodeDailyQuota:              "the daily quota is used up: wait for the reset at midnight beijing time, or clear it in the console (a limited number of resets a month)",
	CodeMinuteQuota:             "the per-minute limit is reached: retry in a minute",
	CodePlatformNotAuthorized:   "the account has not authorized this third-party platform: the merchant must authorize it again",
	CodePlatformIPNotRegistered: "add this runner's public ip to the third-party platform's ip whitelist (open.weixin.qq.com, platform details, development settings)",
	CodeVerifyTicketExpired:     "the component verify ticket expired (valid 12 h): give the latest ticket WeChat pushed",
	CodeVerifyTicketInvalid:     "the component verify ticket is not valid: give the latest ticket WeChat pushed to the platform",
	CodePermissionSetNotGranted: "the merchant has not granted the permission set this api needs (15, menu management): ask them to authorize it again with that set",
	CodeInvalidComponent:        "check the component appid: it must be the third-party platform's appid",
	CodeRefreshTokenInvalid:     "the authorizer refresh token is not valid, even after re-reading it from the authorizer list: the merchant must authorize the platform again",
}
