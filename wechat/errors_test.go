package wechat_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wxmenu/wxmenu/wechat"
)

// TestAPIErrorRetryable: only -1 (system busy) is worth sending again as
// is; token, quota, not-found, content and account errors are not.
func TestAPIErrorRetryable(t *testing.T) {
	for _, code := range []int{-1, 40001, 40014, 41001, 42001, 45009, 45011, 46003, 65301, 65302, 40016, 40027,
		40033, 44002, 47001, 65304, 65316, 65320, 65303, 65305, 40164, 0} {
		e := &wechat.APIError{Endpoint: "menu/get", Code: code}
		if got := e.Retryable(); got != (code == -1) {
			t.Errorf("errcode %d: Retryable() = %v", code, got)
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
