package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Time       time.Time
	Action     string
	Package    string
	ImportPath string // build-output and build-fail events (Go 1.24+)
	Test       string
	Elapsed    float64
	Output     string
}

// Report is the whole JUnit document.
type Report struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Time     string   `xml:"time,attr"`
	Suites   []*Suite `xml:"testsuite"`
}

// Suite is one Go package.
type Suite struct {
	Name      string  `xml:"name,attr"`
	Tests     int     `xml:"tests,attr"`
	Failures  int     `xml:"failures,attr"`
	Errors    int     `xml:"errors,attr"`
	Skipped   int     `xml:"skipped,attr"`
	Time      string  `xml:"time,attr"`
	Timestamp string  `xml:"timestamp,attr,omitempty"`
	Cases     []*Case `xml:"testcase"`
	SystemOut *CDATA  `xml:"system-out,omitempty"`

	failed  bool
	elapsed float64
	output  strings.Builder
	byName  map[string]*Case
}

// Case is one test or subtest.
type Case struct {
	Classname string   `xml:"classname,attr"`
	Name      string   `xml:"name,attr"`
	Time      string   `xml:"time,attr"`
	Failure   *Message `xml:"failure,omitempty"`
	Error     *Message `xml:"error,omitempty"`
	Skipped   *Message `xml:"skipped,omitempty"`

	output strings.Builder
}

// Message is the body of a failure, error or skipped element (the test's output, as CDATA so
// that it stays readable).
type Message struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",cdata"`
}

// CDATA is an element whose text is written as CDATA.
type CDATA struct {
	Text string `xml:",cdata"`
}

// Convert reads a `go test -json` stream and builds the report; console gets what plain
// `go test` would print. Lines that are not JSON (a go command's own messages) are copied
// to console as they are.
func Convert(in io.Reader, console io.Writer) (*Report, error) {
	r := &Report{}
	suites := map[string]*Suite{}
	buildOutput := map[string]*strings.Builder{}
	suite := func(pkg string) *Suite {
		s := suites[pkg]
		if s == nil {
			s = &Suite{Name: pkg, byName: map[string]*Case{}}
			suites[pkg] = s
			r.Suites = append(r.Suites, s)
		}
		return s
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(console, "%s\n", line)
			continue
		}
		switch {
		case e.Action == "build-output":
			pkg, _, _ := strings.Cut(e.ImportPath, " ")
			if buildOutput[pkg] == nil {
				buildOutput[pkg] = &strings.Builder{}
			}
			buildOutput[pkg].WriteString(e.Output)
			fmt.Fprint(console, e.Output)
		case e.Package == "":
			// build-fail and other events without a package: the package's own fail follows.
		case e.Test == "":
			packageEvent(suite(e.Package), e, console)
		default:
			testEvent(suite(e.Package), e, console)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var total float64
	for _, s := range r.Suites {
		if s.failed && s.Failures == 0 {
			// The package failed with no failing test: it did not build, or crashed or timed out.
			msg := "package failed"
			text := s.output.String()
			if b := buildOutput[s.Name]; b != nil {
				msg, text = "build failed", b.String()+text
			} else if strings.Contains(text, "[build failed]") {
				msg = "build failed" // before Go 1.24 the compiler's messages went to stderr
			}
			s.Cases = append(s.Cases, &Case{Classname: s.Name, Name: "[" + msg + "]", Time: seconds(s.elapsed), Error: &Message{Message: msg, Text: text}})
			s.Errors++
		}
		s.Tests = len(s.Cases)
		s.Time = seconds(s.elapsed)
		if out := s.output.String(); out != "" {
			s.SystemOut = &CDATA{Text: out}
		}
		r.Tests += s.Tests
		r.Failures += s.Failures
		r.Errors += s.Errors
		r.Skipped += s.Skipped
		total += s.elapsed
	}
	r.Time = seconds(total)
	return r, nil
}

func packageEvent(s *Suite, e event, console io.Writer) {
	switch e.Action {
	case "start":
		if !e.Time.IsZero() {
			s.Timestamp = e.Time.UTC().Format("2006-01-02T15:04:05")
		}
	case "output":
		s.output.WriteString(e.Output)
		// Keep the lines plain `go test` prints; -json always runs in -v mode.
		if t := strings.TrimSpace(e.Output); t != "PASS" && t != "FAIL" && !strings.HasPrefix(t, "coverage:") && !strings.HasPrefix(t, "=== ") {
			fmt.Fprint(console, e.Output)
		}
	case "fail":
		s.failed = true
		s.elapsed = e.Elapsed
	case "pass", "skip":
		s.elapsed = e.Elapsed
	}
}

func testEvent(s *Suite, e event, console io.Writer) {
	c := s.byName[e.Test]
	if c == nil {
		c = &Case{Classname: s.Name, Name: e.Test, Time: seconds(0)}
		s.byName[e.Test] = c
		s.Cases = append(s.Cases, c)
	}
	switch e.Action {
	case "output":
		c.output.WriteString(e.Output)
	case "pass":
		c.Time = seconds(e.Elapsed)
	case "fail":
		c.Time = seconds(e.Elapsed)
		c.Failure = &Message{Message: "Failed", Text: c.output.String()}
		s.Failures++
		fmt.Fprint(console, c.output.String())
	case "skip":
		c.Time = seconds(e.Elapsed)
		c.Skipped = &Message{Message: skipReason(c.output.String()), Text: c.output.String()}
		s.Skipped++
	}
}

// skipReason is the message of t.Skip: the indented line after "--- SKIP".
func skipReason(output string) string {
	lines := strings.Split(output, "\n")
	for i, l := range lines {
		if strings.Contains(l, "--- SKIP") && i+1 < len(lines) {
			if r := strings.TrimSpace(lines[i+1]); r != "" {
				return r
			}
		}
	}
	return "Skipped"
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }

// WriteXML writes the report with an XML declaration.
func (r *Report) WriteXML(w io.Writer) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
