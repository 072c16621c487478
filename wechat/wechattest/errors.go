package wechattest

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/wxmenu/wxmenu/wechat"
)

// apiError is a WeChat error answer: HTTP 200 with {"errcode":N,"errmsg":"..."}.
type apiError struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

// errAnswer is WeChat's answer with code, in WeChat's words
// (wechat.ErrorMessage, where the sources of each are given).
func errAnswer(code int) *apiError { return &apiError{code, wechat.ErrorMessage(code)} }

// errPlatformIPNotRegistered is 61004 with the caller's IP, as seen
// ("access clientip is not registered requestIP: …", research §1.9).
func errPlatformIPNotRegistered(ip string) *apiError {
	return &apiError{wechat.CodePlatformIPNotRegistered, "access clientip is not registered requestIP: " + ip}
}

// withRequestID gives an error answer WeChat's request id: every real
// errmsg ends in " rid: " and three groups of eight hex digits, the first
// being the Unix time of the request (samples and sources in
// docs/sandbox.md). Success answers (errcode 0) carry none, like WeChat's.
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
