// Command junit turns the event stream of `go test -json` into a JUnit XML report, so that
// CI tools that read JUnit (Slipway's gate step, Jenkins' junit step) can count the tests.
//
//	go test -json ./... | go run ./tools/junit -o reports/junit.xml
//
// It prints what plain `go test` would (the per-package result lines and the output of
// failing tests) and exits 1 when a test, a package or a build failed, or when the input
// held no test events at all.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("o", "reports/junit.xml", "file to write the JUnit XML report to")
	flag.Parse()
	if err := run(os.Stdin, os.Stdout, *out); err != nil {
		fmt.Fprintln(os.Stderr, "junit:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, console io.Writer, out string) error {
	report, err := Convert(in, console)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := report.WriteXML(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(console, "junit: %d tests, %d failures, %d errors, %d skipped -> %s\n", report.Tests, report.Failures, report.Errors, report.Skipped, out)
	if report.Tests == 0 && len(report.Suites) == 0 {
		return fmt.Errorf("no test events in the input (was it written by go test -json?)")
	}
	if report.Failures > 0 || report.Errors > 0 {
		return fmt.Errorf("%d tests failed, %d packages did not build or run", report.Failures, report.Errors)
	}
	return nil
}
