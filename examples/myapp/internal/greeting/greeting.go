// Package greeting holds the logic of myapp's /api/greeting endpoint: which names are
// accepted, how they are cleaned up, and which salutation is used for a language and an
// hour of the day. It has no I/O, so every rule is a plain unit test.
package greeting

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxNameLength is the longest name (in characters, after clean-up) that is accepted.
const MaxNameLength = 64

// ErrEmptyName is returned for a name that is empty after clean-up.
var ErrEmptyName = errors.New("name is empty")

// Languages are the supported language codes; the first is the default.
var Languages = []string{"en", "de", "fr", "es"}

var salutations = map[string][3]string{
	//     morning          afternoon       evening
	"en": {"Good morning", "Hello", "Good evening"},
	"de": {"Guten Morgen", "Hallo", "Guten Abend"},
	"fr": {"Bonjour", "Bonjour", "Bonsoir"},
	"es": {"Buenos días", "Hola", "Buenas noches"},
}

// Message is what the API returns.
type Message struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	Text     string `json:"text"`
}

// NormalizeName trims a name, collapses runs of white space into one space and checks that
// it is made of letters, digits, spaces, hyphens, dots and apostrophes only, at most
// MaxNameLength characters long.
func NormalizeName(name string) (string, error) {
	clean := strings.Join(strings.Fields(name), " ")
	if clean == "" {
		return "", ErrEmptyName
	}
	if n := utf8.RuneCountInString(clean); n > MaxNameLength {
		return "", fmt.Errorf("name is %d characters long, at most %d are allowed", n, MaxNameLength)
	}
	for i, r := range clean {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" -.'", r) {
			return "", fmt.Errorf("name has a character %q at offset %d that is not allowed", r, i)
		}
	}
	return clean, nil
}

// Language picks the language for an Accept-Language style value ("de-CH,de;q=0.9,en;q=0.8"
// or just "fr"): the first supported primary tag, in the order given, else the fallback.
func Language(accept, fallback string) string {
	for _, part := range strings.Split(accept, ",") {
		tag := strings.TrimSpace(part)
		if i := strings.IndexByte(tag, ';'); i >= 0 {
			tag = tag[:i]
		}
		if i := strings.IndexByte(tag, '-'); i >= 0 {
			tag = tag[:i]
		}
		tag = strings.ToLower(tag)
		if Supported(tag) {
			return tag
		}
	}
	if Supported(fallback) {
		return fallback
	}
	return Languages[0]
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	_, ok := salutations[lang]
	return ok
}

// PartOfDay is 0 for the morning (05:00–11:59), 1 for the afternoon (12:00–17:59) and 2 for
// the evening and the night.
func PartOfDay(t time.Time) int {
	switch h := t.Hour(); {
	case h >= 5 && h < 12:
		return 0
	case h >= 12 && h < 18:
		return 1
	default:
		return 2
	}
}

// Greet builds the message for a raw name in a language at a time. The name is normalized
// first; an unsupported language falls back to English.
func Greet(name, lang string, at time.Time) (Message, error) {
	clean, err := NormalizeName(name)
	if err != nil {
		return Message{}, err
	}
	if !Supported(lang) {
		lang = Languages[0]
	}
	text := fmt.Sprintf("%s, %s!", salutations[lang][PartOfDay(at)], clean)
	return Message{Name: clean, Language: lang, Text: text}, nil
}
