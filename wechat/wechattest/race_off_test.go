//go:build !race

package wechattest

// raceDetector is whether the tests run under the race detector (-race).
const raceDetector = false
