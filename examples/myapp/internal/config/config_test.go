package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Port: 8080, DefaultName: "world", DefaultLanguage: "en", LogLevel: "info", ShutdownTimeout: 10 * time.Second}
	if c != want {
		t.Errorf("Load() = %+v, want %+v", c, want)
	}
	if c.Addr() != ":8080" {
		t.Errorf("Addr() = %q", c.Addr())
	}
}

func TestOverrides(t *testing.T) {
	c, err := Load(env(map[string]string{
		"PORT": "9090", "GREETING_DEFAULT_NAME": " Slipway  user ", "GREETING_LANGUAGE": "fr", "LOG_LEVEL": "DEBUG",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 9090 || c.DefaultName != "Slipway user" || c.DefaultLanguage != "fr" || c.LogLevel != "debug" {
		t.Errorf("Load() = %+v", c)
	}
}

func TestErrors(t *testing.T) {
	for k, v := range map[string]string{
		"PORT":                  "http",
		"GREETING_DEFAULT_NAME": "a;b",
		"GREETING_LANGUAGE":     "xx",
		"LOG_LEVEL":             "trace",
	} {
		_, err := Load(env(map[string]string{k: v}))
		if err == nil || !strings.HasPrefix(err.Error(), k+"=") {
			t.Errorf("%s=%s: error %v, want one naming the variable", k, v, err)
		}
	}
}
