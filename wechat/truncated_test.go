package wechat_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/wxmenu/wxmenu/wechat"
)

// TestReadRetriesTruncatedBody: a menu/get answer cut off mid-JSON is a
// transient failure, retried like a 5xx; JSON of the wrong shape is not.
func TestReadRetriesTruncatedBody(t *testing.T) {
	tests := []struct {
		name      string
		first     string
		wantCalls int32
		wantErr   bool
	}{
		{"truncated", `{"menu":{"button":[{"type":"click","na`, 2, false},
		{"wrong shape", `{"menu":{"button":"not a list"}}`, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if calls.Add(1) == 1 {
					_, _ = w.Write([]byte(tt.first))
					return
				}
				_, _ = w.Write([]byte(`{"menu":{"button":[{"type":"click","name":"a","key":"A"}]}}`))
			}))
			defer srv.Close()
			c, err := wechat.New(wechat.WithBaseURLs(srv.URL), wechat.WithStaticToken("static-token-for-truncation"), wechat.WithRetry(3, 0, 0))
			if err != nil {
				t.Fatal(err)
			}
			set, err := c.GetMenu(t.Context())
			if (err != nil) != tt.wantErr {
				t.Fatalf("GetMenu: %v, want error %v", err, tt.wantErr)
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("%d menu/get calls, want %d", got, tt.wantCalls)
			}
			if err == nil && (set.Default == nil || len(set.Default.Buttons) != 1) {
				t.Errorf("menus read: %+v", set)
			}
		})
	}
}
