package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A stream as `go test -json` writes it: a passing package with a skipped test and a
// subtest, a failing package, a package that does not build (Go 1.24+ build events) and
// a package without tests.
const stream = `{"Action":"start","Package":"example.com/m/ok","Time":"2024-03-01T12:00:00Z"}
{"Action":"run","Package":"example.com/m/ok","Test":"TestA"}
{"Action":"output","Package":"example.com/m/ok","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"run","Package":"example.com/m/ok","Test":"TestA/sub"}
{"Action":"pass","Package":"example.com/m/ok","Test":"TestA/sub","Elapsed":0.01}
{"Action":"pass","Package":"example.com/m/ok","Test":"TestA","Elapsed":0.02}
{"Action":"run","Package":"example.com/m/ok","Test":"TestSkip"}
{"Action":"output","Package":"example.com/m/ok","Test":"TestSkip","Output":"--- SKIP: TestSkip (0.00s)\n"}
{"Action":"output","Package":"example.com/m/ok","Test":"TestSkip","Output":"    ok_test.go:9: needs a database\n"}
{"Action":"skip","Package":"example.com/m/ok","Test":"TestSkip","Elapsed":0}
{"Action":"output","Package":"example.com/m/ok","Output":"PASS\n"}
{"Action":"output","Package":"example.com/m/ok","Output":"ok  \texample.com/m/ok\t0.031s\n"}
{"Action":"pass","Package":"example.com/m/ok","Elapsed":0.031}
{"Action":"run","Package":"example.com/m/bad","Test":"TestB"}
{"Action":"output","Package":"example.com/m/bad","Test":"TestB","Output":"    bad_test.go:7: got 1, want 2 <&>\n"}
{"Action":"fail","Package":"example.com/m/bad","Test":"TestB","Elapsed":0.5}
{"Action":"output","Package":"example.com/m/bad","Output":"FAIL\texample.com/m/bad\t0.6s\n"}
{"Action":"fail","Package":"example.com/m/bad","Elapsed":0.6}
{"ImportPath":"example.com/m/broken [example.com/m/broken.test]","Action":"build-output","Output":"broken.go:3:1: syntax error\n"}
{"ImportPath":"example.com/m/broken [example.com/m/broken.test]","Action":"build-fail"}
{"Action":"start","Package":"example.com/m/broken"}
{"Action":"output","Package":"example.com/m/broken","Output":"FAIL\texample.com/m/broken [build failed]\n"}
{"Action":"fail","Package":"example.com/m/broken","Elapsed":0}
not json: go: downloading nothing
{"Action":"output","Package":"example.com/m/old","Output":"FAIL\texample.com/m/old [build failed]\n"}
{"Action":"fail","Package":"example.com/m/old","Elapsed":0}
{"Action":"output","Package":"example.com/m/notests","Output":"\texample.com/m/notests\t\tcoverage: 0.0% of statements\n"}
{"Action":"pass","Package":"example.com/m/notests","Elapsed":0.2}
`

func TestConvert(t *testing.T) {
	var console bytes.Buffer
	r, err := Convert(strings.NewReader(stream), &console)
	if err != nil {
		t.Fatal(err)
	}
	if r.Tests != 6 || r.Failures != 1 || r.Errors != 2 || r.Skipped != 1 || r.Time != "0.831" {
		t.Errorf("totals: tests %d failures %d errors %d skipped %d time %s", r.Tests, r.Failures, r.Errors, r.Skipped, r.Time)
	}
	if len(r.Suites) != 5 {
		t.Fatalf("%d suites, want 5", len(r.Suites))
	}
	ok := r.Suites[0]
	if ok.Name != "example.com/m/ok" || ok.Timestamp != "2024-03-01T12:00:00" || len(ok.Cases) != 3 || ok.Cases[1].Name != "TestA/sub" || ok.Cases[0].Time != "0.020" {
		t.Errorf("suite ok: %+v", ok)
	}
	if s := ok.Cases[2].Skipped; s == nil || s.Message != "ok_test.go:9: needs a database" {
		t.Errorf("skip: %+v", s)
	}
	if f := r.Suites[1].Cases[0].Failure; f == nil || !strings.Contains(f.Text, "got 1, want 2") {
		t.Errorf("failure: %+v", f)
	}
	broken := r.Suites[2]
	if len(broken.Cases) != 1 || broken.Cases[0].Error == nil || broken.Cases[0].Error.Message != "build failed" || !strings.Contains(broken.Cases[0].Error.Text, "syntax error") {
		t.Errorf("broken: %+v", broken.Cases)
	}
	if old := r.Suites[3].Cases; len(old) != 1 || old[0].Name != "[build failed]" {
		t.Errorf("a build failure of Go before 1.24: %+v", old)
	}
	for _, want := range []string{"ok  \texample.com/m/ok", "bad_test.go:7", "FAIL\texample.com/m/bad", "broken.go:3:1", "not json: go: downloading", "coverage: 0.0%"} {
		if !strings.Contains(console.String(), want) {
			t.Errorf("console lacks %q:\n%s", want, console.String())
		}
	}
	if strings.Contains(console.String(), "=== RUN") || strings.Contains(console.String(), "PASS\n") {
		t.Errorf("console has verbose lines:\n%s", console.String())
	}

	var out bytes.Buffer
	if err := r.WriteXML(&out); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := xml.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatalf("the XML does not read back: %v\n%s", err, out.String())
	}
	if f := back.Suites[1].Cases[0].Failure; f == nil || f.Text != "    bad_test.go:7: got 1, want 2 <&>\n" {
		t.Errorf("failure read back: %+v", f)
	}
	if back.Tests != 6 || len(back.Suites) != 5 || !strings.Contains(out.String(), "<![CDATA[    bad_test.go:7: got 1, want 2 <&>") {
		t.Errorf("written XML:\n%s", out.String())
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "reports", "junit.xml")
	var console bytes.Buffer
	passing := strings.Join(strings.Split(stream, "\n")[:13], "\n")
	if err := run(strings.NewReader(passing), &console, out); err != nil {
		t.Fatalf("a passing stream: %v", err)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.HasPrefix(string(b), "<?xml") {
		t.Errorf("report not written: %v", err)
	}
	if err := run(strings.NewReader(stream), &console, out); err == nil || !strings.Contains(err.Error(), "1 tests failed, 2 packages") {
		t.Errorf("a failing stream: %v", err)
	}
	if err := run(strings.NewReader(""), &console, out); err == nil {
		t.Error("an empty stream passed")
	}
}
