/**
 * toml — TOML output as Helm's toToml writes it: a port of BurntSushi/toml v1.6.0
 * Encoder.Encode (encode.go, meta.go Key quoting) for JSON-like values. Pure: no I/O;
 * imports only the go-yaml module's number and string helpers.
 */
export { marshalToml, TomlEncodeError } from './encode.js';
