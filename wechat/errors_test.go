package wechat_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

func TestAPIErrorClasses(t *testing.T) {
	type classes struct{ Retryable, Token, Quota, NotFound, Invalid bool }
	tests := []struct {
		code int
		want classes
	}{
		{-1, classes{Retryable: true}},
		{40001, classes{Token: true}},
		{40014, classes{Token: true}},
		{41001, classes{Token: true}},
		{42001, classes{Token: true}},
		{45009, classes{Quota: true}},
		{45011, classes{Quota: true}},
		{46003, classes{NotFound: true}},
		{65301, classes{NotFound: true}},
		{65302, classes{NotFound: true}},
		{40016, classes{Invalid: true}},
		{40027, classes{Invalid: true}},
		{40033, classes{Invalid: true}},
		{44002, classes{Invalid: true}},
		{47001, classes{Invalid: true}},
		{65304, classes{Invalid: true}},
		{65316, classes{Invalid: true}},
		{65320, classes{Invalid: true}},
		{65303, classes{}}, // account state, not request content
		{65305, classes{}},
		{40164, classes{}},
		{0, classes{}},
	}
	for _, tt := range tests {
		e := &wechat.APIError{Endpoint: "menu/get", Code: tt.code}
		got := classes{e.Retryable(), e.IsToken(), e.IsQuota(), e.IsNotFound(), e.IsInvalidRequest()}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("errcode %d classes (-want +got):\n%s", tt.code, diff)
		}
	}
}

func TestAPIErrorMessage(t *testing.T) {
	tests := []struct {
		err  *wechat.APIError
		want string
	}{
		{&wechat.APIError{Endpoint: "menu/get", Code: 45009, Message: "reach max api daily quota limit"},
			"wechat: menu/get: errcode 45009: reach max api daily quota limit"},
		{&wechat.APIError{Endpoint: "menu/addconditional", Code: 65305},
			"wechat: menu/addconditional: errcode 65305: conditional menu count limit reached"},
		{&wechat.APIError{Endpoint: "menu/create", Code: 99999}, "wechat: menu/create: errcode 99999"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestErrorCodeMeaning(t *testing.T) {
	for code, want := range map[int]string{
		45009: "daily api quota reached",
		65303: "no default menu: create the default menu before conditional menus",
		65315: "", // undocumented
		12345: "",
	} {
		if got := wechat.ErrorCodeMeaning(code); got != want {
			t.Errorf("ErrorCodeMeaning(%d) = %q, want %q", code, got, want)
		}
	}
}

// TestErrorCodeNames pins the names to WeChat's numbers.
func TestErrorCodeNames(t *testing.T) {
	got := []int{
		wechat.CodeMenuNotExist, wechat.CodeNoConditionalMenu, wechat.CodeNoDefaultMenu, wechat.CodeMatchRuleEmpty,
		wechat.CodeConditionalLimit, wechat.CodeTooManyURLDomains, wechat.CodePrivacyMatchRule,
		wechat.CodeInvalidCredential, wechat.CodeAccessTokenExpired, wechat.CodeInvalidAccessToken,
		wechat.CodeDailyQuota, wechat.CodeMinuteQuota, wechat.CodeInvalidCharset, wechat.CodeIPNotWhitelisted,
		wechat.CodeAPIUnauthorized, wechat.CodePlatformNotAuthorized, wechat.CodePlatformIPNotRegistered,
		wechat.CodeVerifyTicketExpired, wechat.CodeVerifyTicketInvalid, wechat.CodePermissionSetNotGranted,
		wechat.CodeRefreshTokenInvalid, wechat.CodeSystemBusy,
	}
	want := []int{46003, 65301, 65303, 65304, 65305, 65316, 65320, 40001, 42001, 40014, 45009, 45011, 40033, 40164,
		48001, 61003, 61004, 61005, 61006, 61007, 61023, -1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errcode constants (-want +got):\n%s", diff)
	}
	for _, code := range got {
		if wechat.ErrorCodeMeaning(code) == "" {
			t.Errorf("errcode %d has a name but no meaning", code)
		}
	}
}
