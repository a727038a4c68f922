package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/myapp/internal/config"
)

var noon = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func newServer(t *testing.T) *Server {
	t.Helper()
	cfg := config.Config{Port: 8080, DefaultName: "world", DefaultLanguage: "en", LogLevel: "info"}
	return New(cfg, "1.2.3", func() time.Time { return noon }, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func get(t *testing.T, h http.Handler, target string, header ...string) (int, map[string]string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusMethodNotAllowed && ct != "application/json" {
		t.Errorf("%s: Content-Type %q", target, ct)
	}
	body := map[string]string{}
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	return rec.Code, body
}

func TestProbes(t *testing.T) {
	s := newServer(t)
	if code, body := get(t, s, "/healthz"); code != 200 || body["status"] != "ok" {
		t.Errorf("/healthz = %d %v", code, body)
	}
	if code, _ := get(t, s, "/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz before SetReady = %d, want 503", code)
	}
	s.SetReady(true)
	if code, body := get(t, s, "/readyz"); code != 200 || body["status"] != "ready" {
		t.Errorf("/readyz = %d %v", code, body)
	}
	if code, body := get(t, s, "/version"); code != 200 || body["version"] != "1.2.3" {
		t.Errorf("/version = %d %v", code, body)
	}
}

func TestGreeting(t *testing.T) {
	s := newServer(t)
	cases := []struct {
		target string
		header []string
		code   int
		text   string
	}{
		{target: "/api/greeting", code: 200, text: "Hello, world!"},
		{target: "/api/greeting?name=Ada", code: 200, text: "Hello, Ada!"},
		{target: "/api/greeting?name=Ada&lang=de", code: 200, text: "Hallo, Ada!"},
		{target: "/api/greeting?name=Ada", header: []string{"Accept-Language", "es-MX,es;q=0.9"}, code: 200, text: "Hola, Ada!"},
		{target: "/api/greeting?name=Ada&lang=xx", code: 400},
		{target: "/api/greeting?name=%3Cb%3E", code: 400},
		{target: "/api/greeting?name=", code: 422},
	}
	for _, c := range cases {
		code, body := get(t, s, c.target, c.header...)
		if code != c.code || (c.text != "" && body["text"] != c.text) {
			t.Errorf("%s %v = %d %v, want %d %q", c.target, c.header, code, body, c.code, c.text)
		}
		if c.code != 200 && body["error"] == "" {
			t.Errorf("%s: no error message in %v", c.target, body)
		}
	}
}
