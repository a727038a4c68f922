// Package server is myapp's HTTP API: liveness and readiness probes and the greeting.
package server

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"example.com/myapp/internal/config"
	"example.com/myapp/internal/greeting"
)

// Server holds the handler's state. Its zero value is not usable; call New.
type Server struct {
	cfg     config.Config
	version string
	now     func() time.Time
	log     *slog.Logger
	ready   atomic.Bool
	mux     *http.ServeMux
}

// New builds the server. now is the clock (time.Now outside tests). The server starts not
// ready; call SetReady once it can serve.
func New(cfg config.Config, version string, now func() time.Time, log *slog.Logger) *Server {
	s := &Server{cfg: cfg, version: version, now: now, log: log, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /version", s.versionInfo)
	s.mux.HandleFunc("GET /api/greeting", s.greeting)
	return s
}

// SetReady flips the readiness probe (false while shutting down, so the Service stops
// sending traffic before the listener closes).
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// ServeHTTP logs each request and hands it to the routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", s.now().Sub(start))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	if !s.ready.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "not ready"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) versionInfo(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"version": s.version})
}

// greeting answers GET /api/greeting?name=Ada&lang=de. Without lang, the Accept-Language
// header decides; without name, the configured default name is greeted.
func (s *Server) greeting(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := q.Get("name")
	if !q.Has("name") {
		name = s.cfg.DefaultName
	}
	lang := q.Get("lang")
	if lang == "" {
		lang = greeting.Language(r.Header.Get("Accept-Language"), s.cfg.DefaultLanguage)
	} else if !greeting.Supported(lang) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported language " + lang})
		return
	}
	msg, err := greeting.Greet(name, lang, s.now())
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, greeting.ErrEmptyName) {
			status = http.StatusUnprocessableEntity
		}
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, msg)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
