// Package termstatus tells a person at a terminal what wxmenu is waiting
// for. A Line shows one status line on standard error ("waiting for
// api.weixin.qq.com (menu/get)… 3s", with a spinner) once a wait has lasted
// a second, and erases it when the wait ends, so fast runs print nothing
// extra. When standard error is not a terminal (CI logs, pipes) a Line is
// silent: New returns nil, and a nil *Line does nothing.
//
// Transport puts a Line in front of an http.RoundTripper, so every HTTP
// call of the WeChat client is a wait the line can show.
package termstatus
