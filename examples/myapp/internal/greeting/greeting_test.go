package greeting

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestNormalizeName(t *testing.T) {
	cases := []struct {
		in, want, err string
	}{
		{in: "Ada", want: "Ada"},
		{in: "  Grace   Hopper \t", want: "Grace Hopper"},
		{in: "Jean-Luc O'Neil Jr.", want: "Jean-Luc O'Neil Jr."},
		{in: "Zoë 2", want: "Zoë 2"},
		{in: "   ", err: "name is empty"},
		{in: "<script>", err: `character '<' at offset 0`},
		{in: strings.Repeat("a", MaxNameLength+1), err: "65 characters long"},
	}
	for _, c := range cases {
		got, err := NormalizeName(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("NormalizeName(%q) error = %v, want one containing %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("NormalizeName(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := NormalizeName(""); !errors.Is(err, ErrEmptyName) {
		t.Errorf("empty name: %v, want ErrEmptyName", err)
	}
}

func TestLanguage(t *testing.T) {
	cases := []struct{ accept, fallback, want string }{
		{"de-CH,de;q=0.9,en;q=0.8", "en", "de"},
		{"it, FR;q=0.5", "en", "fr"},
		{"", "es", "es"},
		{"it", "xx", "en"},
	}
	for _, c := range cases {
		if got := Language(c.accept, c.fallback); got != c.want {
			t.Errorf("Language(%q, %q) = %q, want %q", c.accept, c.fallback, got, c.want)
		}
	}
}

func TestPartOfDay(t *testing.T) {
	for hour, want := range map[int]int{4: 2, 5: 0, 11: 0, 12: 1, 17: 1, 18: 2, 23: 2} {
		at := time.Date(2024, 3, 1, hour, 30, 0, 0, time.UTC)
		if got := PartOfDay(at); got != want {
			t.Errorf("PartOfDay(%02d:30) = %d, want %d", hour, got, want)
		}
	}
}

func TestGreet(t *testing.T) {
	morning := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	m, err := Greet("  ada  ", "de", morning)
	if err != nil {
		t.Fatal(err)
	}
	if m != (Message{Name: "ada", Language: "de", Text: "Guten Morgen, ada!"}) {
		t.Errorf("Greet = %+v", m)
	}
	m, err = Greet("Bob", "klingon", morning.Add(10*time.Hour))
	if err != nil || m.Text != "Good evening, Bob!" || m.Language != "en" {
		t.Errorf("Greet with an unknown language = %+v, %v", m, err)
	}
	if _, err := Greet("", "en", morning); !errors.Is(err, ErrEmptyName) {
		t.Errorf("Greet of an empty name: %v", err)
	}
}
