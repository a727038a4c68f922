// Package config reads myapp's settings from environment variables (in Kubernetes they come
// from the ConfigMap the chart and the kustomize base create).
package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"example.com/myapp/internal/greeting"
)

// Config is myapp's runtime configuration.
type Config struct {
	// Port is the TCP port to listen on (PORT, default 8080).
	Port int
	// DefaultName is greeted when the request names nobody (GREETING_DEFAULT_NAME, default "world").
	DefaultName string
	// DefaultLanguage is used when the request asks for no supported language (GREETING_LANGUAGE, default "en").
	DefaultLanguage string
	// LogLevel is debug, info, warn or error (LOG_LEVEL, default info).
	LogLevel string
	// ShutdownTimeout bounds the graceful shutdown (SHUTDOWN_TIMEOUT, Go duration, default 10s).
	ShutdownTimeout time.Duration
}

// Load reads the configuration through getenv (os.Getenv in main, a map in tests).
func Load(getenv func(string) string) (Config, error) {
	c := Config{Port: 8080, DefaultName: "world", DefaultLanguage: "en", LogLevel: "info", ShutdownTimeout: 10 * time.Second}
	if v := getenv("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return Config{}, fmt.Errorf("PORT=%q: not a port number (1-65535)", v)
		}
		c.Port = p
	}
	if v := getenv("GREETING_DEFAULT_NAME"); v != "" {
		name, err := greeting.NormalizeName(v)
		if err != nil {
			return Config{}, fmt.Errorf("GREETING_DEFAULT_NAME=%q: %w", v, err)
		}
		c.DefaultName = name
	}
	if v := getenv("GREETING_LANGUAGE"); v != "" {
		if !greeting.Supported(v) {
			return Config{}, fmt.Errorf("GREETING_LANGUAGE=%q: not one of %s", v, strings.Join(greeting.Languages, ", "))
		}
		c.DefaultLanguage = v
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		switch v = strings.ToLower(v); v {
		case "debug", "info", "warn", "error":
			c.LogLevel = v
		default:
			return Config{}, fmt.Errorf("LOG_LEVEL=%q: not one of debug, info, warn, error", v)
		}
	}
	if v := getenv("SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("SHUTDOWN_TIMEOUT=%q: not a positive duration", v)
		}
		c.ShutdownTimeout = d
	}
	return c, nil
}

// Addr is the listen address for the port.
func (c Config) Addr() string { return ":" + strconv.Itoa(c.Port) }
