package watch

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wxmenu/wxmenu/reconcile"
	"github.com/wxmenu/wxmenu/wechat"
)

// Statuses are the values of wxmenu_account_status's status label.
var Statuses = append(slices.Clip(reconcile.DriftStatuses), StatusPaused)

// StatusPaused is a self-healing account that watch stopped reverting
// after MaxReverts reverts in a row.
const StatusPaused reconcile.DriftStatus = "paused"

// Metrics are what /metrics serves, on a registry of their own (no global
// state: tests run many watches in one process).
type Metrics struct {
	registry      *prometheus.Registry
	status        *prometheus.GaugeVec
	lastCheck     *prometheus.GaugeVec
	drift         *prometheus.CounterVec
	apiErrors     *prometheus.CounterVec
	sweepDuration prometheus.Gauge
}

// NewMetrics registers the watch's metrics and the Go runtime's.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		status: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wxmenu_account_status", Help: "1 for the account's drift status at the last sweep, 0 for the others.",
		}, []string{"account", "status"}),
		lastCheck: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wxmenu_last_check_timestamp_seconds", Help: "When the account was last checked (Unix time).",
		}, []string{"account"}),
		drift: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wxmenu_drift_detected_total", Help: "Changes of an account's status into a drift status, by kind.",
		}, []string{"account", "kind"}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wxmenu_api_errors_total", Help: "Sweeps that ended in a WeChat API error, by endpoint and errcode.",
		}, []string{"account", "endpoint", "errcode"}),
		sweepDuration: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "wxmenu_sweep_duration_seconds", Help: "How long the last sweep over every account took.",
		}),
	}
	m.registry.MustRegister(m.status, m.lastCheck, m.drift, m.apiErrors, m.sweepDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// observe records one account's check: its status now, and whether it
// changed into a drift kind.
func (m *Metrics) observe(account string, status reconcile.DriftStatus, changed bool, err error, now time.Time) {
	for _, s := range Statuses {
		v := 0.0
		if s == status {
			v = 1
		}
		m.status.WithLabelValues(account, string(s)).Set(v)
	}
	m.lastCheck.WithLabelValues(account).Set(float64(now.Unix()))
	if changed && status != reconcile.DriftInSync && status != reconcile.DriftError {
		m.drift.WithLabelValues(account, string(status)).Inc()
	}
	var apiErr *wechat.APIError
	if errors.As(err, &apiErr) {
		m.apiErrors.WithLabelValues(account, apiErr.Endpoint, strconv.Itoa(apiErr.Code)).Inc()
	}
}
