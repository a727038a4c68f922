import { describe, test } from 'vitest';
import { type Row, expectRow } from './harness.js';

// encoding/base64 and base32 StdEncoding; a decoding error is returned as the result text.
// Each row is a template pipeline, the Go type of its result ('error' for an error return,
// 'panic' for a panic) and the value. Every row was run through sprig v3.3.0 under Go 1.26
// (`{{ $r := PIPELINE }}{{ printf "%T|%v" $r $r }}`) and agrees with it; where Go
// says int, the value model has bigint and goTypeName says int64.
const rows: Row[] = [
  ['b64enc "hello"', 'string', 'aGVsbG8='],
  ['b64enc ""', 'string', ''],
  ['b64enc "é"', 'string', 'w6k='],
  ['b64enc "ab"', 'string', 'YWI='],
  ['b64dec "aGVsbG8="', 'string', 'hello'],
  ['b64dec "aGVsbG8"', 'string', 'illegal base64 data at input byte 4'],
  ['b64dec "aGVs bG8="', 'string', 'illegal base64 data at input byte 4'],
  ['b64dec "aGVs\\nbG8="', 'string', 'hello'],
  ['b64dec "aGVsbG8=x"', 'string', 'illegal base64 data at input byte 8'],
  ['b64dec "a"', 'string', 'illegal base64 data at input byte 0'],
  ['b64dec "ab=="', 'string', 'i'],
  ['b64dec "ab="', 'string', 'illegal base64 data at input byte 3'],
  ['b64dec "=="', 'string', 'illegal base64 data at input byte 0'],
  ['b64dec "YQ==YQ=="', 'string', 'illegal base64 data at input byte 4'],
  ['b64dec "w6k="', 'string', 'é'],
  ['b32enc "hello"', 'string', 'NBSWY3DP'],
  ['b32enc "a"', 'string', 'ME======'],
  ['b32enc "ab"', 'string', 'MFRA===='],
  ['b32enc "abc"', 'string', 'MFRGG==='],
  ['b32enc "abcd"', 'string', 'MFRGGZA='],
  ['b32enc "abcde"', 'string', 'MFRGGZDF'],
  ['b32dec "NBSWY3DP"', 'string', 'hello'],
  ['b32dec "ME======"', 'string', 'a'],
  ['b32dec "MFRA===="', 'string', 'ab'],
  ['b32dec "ME====="', 'string', 'illegal base32 data at input byte 7'],
  ['b32dec "M1======"', 'string', 'illegal base32 data at input byte 1'],
  ['b32dec "MFRGG==="', 'string', 'abc'],
  ['b32dec "ME\\n======"', 'string', 'a'],
  ['b32dec "MFRGGZA="', 'string', 'abcd'],
  ['b32dec "MFRGGZDF"', 'string', 'abcde'],
  ['b32dec "M======="', 'string', 'illegal base32 data at input byte 1'],
  ['b32dec "MFR====="', 'string', 'illegal base32 data at input byte 3'],
];

describe('base64 and base32', () => {
  test.each(rows)('%s', (expr, type, want) => {
    expectRow(expr, type, want);
  });
});
