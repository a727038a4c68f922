/**
 * sprig's base64/base32 functions (strings.go): encoding errors are not errors in sprig,
 * the decoders return the error's text as their result.
 */
import { defineFunc, type GoFunc } from '../values.js';
import { CorruptInputError, base32Decode, base32Encode, base64Decode, base64Encode } from './internal/base-encoding.js';
import { bytesToString, utf8Bytes as utf8Encode } from '../../goruntime/index.js';

function decodeOrMessage(decode: (b: Uint8Array) => Uint8Array, s: string): string {
  try {
    return bytesToString(decode(utf8Encode(s)));
  } catch (e) {
    if (e instanceof CorruptInputError) return e.message;
    throw e;
  }
}

/** The encoding functions. */
export function encodingFuncs(): GoFunc[] {
  return [
    defineFunc('b64enc', ['string'], (v: string) => base64Encode(utf8Encode(v))),
    defineFunc('b64dec', ['string'], (v: string) => decodeOrMessage(base64Decode, v)),
    defineFunc('b32enc', ['string'], (v: string) => base32Encode(utf8Encode(v))),
    defineFunc('b32dec', ['string'], (v: string) => decodeOrMessage(base32Decode, v)),
  ];
}
