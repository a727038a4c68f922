// Command smoke starts the built binary on a free port and checks its endpoints over real
// HTTP: the pipeline's verify stage runs it against bin/myapp, the same binary the image
// carries.
//
//	go run ./tools/smoke -bin bin/myapp
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/myapp", "the myapp binary to start")
	timeout := flag.Duration("timeout", 10*time.Second, "how long to wait for /readyz")
	flag.Parse()
	if err := smoke(*bin, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "smoke: FAIL:", err)
		os.Exit(1)
	}
	fmt.Println("smoke: PASS")
}

func smoke(bin string, timeout time.Duration) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", port), "GREETING_DEFAULT_NAME=smoke test", "LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
		}
	}()

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := waitReady(base, timeout, exited); err != nil {
		return fmt.Errorf("%s: %w", bin, err)
	}
	return check(base, os.Stdout)
}

// waitReady polls /readyz until it answers 200, the process exits or the timeout passes.
func waitReady(base string, timeout time.Duration, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		if code, _, err := get(base + "/readyz"); err == nil && code == http.StatusOK {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("exited before it was ready: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("not ready within %s", timeout)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// check runs the smoke checks against a ready server started with GREETING_DEFAULT_NAME="smoke test".
func check(base string, log io.Writer) error {
	checks := []struct{ path, want string }{
		{"/healthz", `"status":"ok"`},
		{"/api/greeting", `, smoke test!"`},
		{"/api/greeting?name=Slipway&lang=de", `, Slipway!"`},
	}
	for _, c := range checks {
		code, body, err := get(base + c.path)
		if err != nil {
			return err
		}
		if code != http.StatusOK || !strings.Contains(body, c.want) || !json.Valid([]byte(body)) {
			return fmt.Errorf("GET %s = %d %s, want 200 with %s", c.path, code, strings.TrimSpace(body), c.want)
		}
		fmt.Fprintf(log, "smoke: GET %s -> %d %s", c.path, code, body)
	}
	if code, _, err := get(base + "/api/greeting?name=%3Cscript%3E"); err != nil || code != http.StatusBadRequest {
		return fmt.Errorf("GET /api/greeting with a bad name = %d, %v; want 400", code, err)
	}
	return nil
}

func get(url string) (int, string, error) {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
