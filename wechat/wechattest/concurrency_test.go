package wechattest

import (
	"sync"
	"testing"
)

func TestConcurrentCalls(t *testing.T) {
	e, tok := withDefault(t)
	const workers = 16
	ids := make([]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			r := e.api("menu/addconditional", tok, `{"button":`+oneButton+`,"matchrule":{"tag_id":"1"}}`)
			ids[i] = r.body
			e.api("menu/get", tok, "")
			e.emu.Calls()
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("menuid answer %s handed out twice", id)
		}
		seen[id] = true
	}
	if n := len(e.emu.Menus().Conditional); n != workers {
		t.Errorf("%d conditional menus, want %d", n, workers)
	}
	if got := e.emu.Calls()["menu/get"]; got != workers {
		t.Errorf("menu/get counted %d times, want %d", got, workers)
	}
}
