package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/myapp/internal/config"
	"example.com/myapp/internal/server"
)

func TestCheckAgainstTheServer(t *testing.T) {
	cfg := config.Config{DefaultName: "smoke test", DefaultLanguage: "en"}
	s := server.New(cfg, "test", time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts := httptest.NewServer(s)
	defer ts.Close()

	if err := waitReady(ts.URL, 300*time.Millisecond, nil); err == nil || !strings.Contains(err.Error(), "not ready") {
		t.Errorf("waitReady before SetReady: %v", err)
	}
	s.SetReady(true)
	if err := waitReady(ts.URL, time.Second, nil); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if err := check(ts.URL, &log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "GET /api/greeting?name=Slipway&lang=de -> 200") {
		t.Errorf("log:\n%s", log.String())
	}

	// A server greeting someone else fails the check.
	other := httptest.NewServer(server.New(config.Config{DefaultName: "nobody", DefaultLanguage: "en"}, "test", time.Now, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer other.Close()
	if err := check(other.URL, io.Discard); err == nil || !strings.Contains(err.Error(), "GET /api/greeting = 200") {
		t.Errorf("check against the wrong greeting: %v", err)
	}
}
