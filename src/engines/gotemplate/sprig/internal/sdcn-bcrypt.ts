/**
 * bcrypt as golang.org/x/crypto/bcrypt (v0.55.0, helm's pin) computes it: version $2a$, the key
 * with its trailing NUL byte, 23 of the 24 cipher bytes, bcrypt's own base64 alphabet.
 * Node's crypto has no Blowfish (OpenSSL 3 moved it to the legacy provider), so the cipher is
 * here; its initial P-array and S-boxes are the hexadecimal digits of pi, computed once.
 */

const P_WORDS = 18;
const S_WORDS = 4 * 256;

let piWords: Uint32Array | undefined;

/** The first 18 + 1024 32-bit words of pi's fractional part (Blowfish's P-array, then S-boxes). */
function blowfishConstants(): Uint32Array {
  if (piWords) return piWords;
  const words = P_WORDS + S_WORDS;
  const guard = 64n;
  const bits = BigInt(words * 32) + guard;
  const one = 1n << bits;
  // Machin: pi = 16 atan(1/5) - 4 atan(1/239), in fixed point with 64 guard bits.
  const atanInv = (x: bigint) => {
    let sum = 0n;
    let power = one / x;
    const x2 = x * x;
    for (let k = 1n, sign = 1n; power !== 0n; k += 2n, sign = -sign) {
      sum += sign * (power / k);
      power /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  const hex = ((pi - (3n << bits)) >> guard).toString(16).padStart(words * 8, '0');
  piWords = new Uint32Array(words);
  for (let i = 0; i < words; i++) piWords[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return piWords;
}

class Blowfish {
  readonly p: Int32Array;
  readonly s: Int32Array;

  constructor() {
    const k = blowfishConstants();
    this.p = Int32Array.from(k.subarray(0, P_WORDS));
    this.s = Int32Array.from(k.subarray(P_WORDS));
  }

  /** Encrypts the block (l, r) in place in out[0], out[1]. */
  encrypt(l: number, r: number, out: Int32Array): void {
    const p = this.p;
    const s = this.s;
    let xl = l ^ p[0]!;
    let xr = r;
    for (let i = 1; i <= 16; i += 2) {
      xr ^= ((((s[xl >>> 24]! + s[256 + ((xl >>> 16) & 0xff)]!) | 0) ^ s[512 + ((xl >>> 8) & 0xff)]!) + s[768 + (xl & 0xff)]!) ^ p[i]!;
      xl ^= ((((s[xr >>> 24]! + s[256 + ((xr >>> 16) & 0xff)]!) | 0) ^ s[512 + ((xr >>> 8) & 0xff)]!) + s[768 + (xr & 0xff)]!) ^ p[i + 1]!;
    }
    out[0] = xr ^ p[17]!;
    out[1] = xl;
  }

  /** ExpandKey, or expandKeyWithSalt when a salt is given (blowfish/cipher.go). */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    let kj = 0;
    const keyWord = () => {
      let d = 0;
      for (let k = 0; k < 4; k++) {
        d = (d << 8) | key[kj]!;
        kj = (kj + 1) % key.length;
      }
      return d;
    };
    for (let i = 0; i < P_WORDS; i++) this.p[i]! ^= keyWord();
    let sj = 0;
    const saltWord = () => {
      if (!salt) return 0;
      let d = 0;
      for (let k = 0; k < 4; k++) {
        d = (d << 8) | salt[sj]!;
        sj = (sj + 1) % salt.length;
      }
      return d;
    };
    const block = new Int32Array(2);
    const fill = (target: Int32Array, n: number) => {
      for (let i = 0; i < n; i += 2) {
        this.encrypt(block[0]! ^ saltWord(), block[1]! ^ saltWord(), block);
        target[i] = block[0]!;
        target[i + 1] = block[1]!;
      }
    };
    fill(this.p, P_WORDS);
    fill(this.s, S_WORDS);
  }
}

const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const STD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** bcrypt's base64: its own alphabet, no padding. */
export function bcryptBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('base64')
    .replace(/=+$/, '')
    .replace(/[A-Za-z0-9+/]/g, (c) => BCRYPT_ALPHABET[STD_ALPHABET.indexOf(c)]!);
}

const MAGIC = new TextEncoder().encode('OrpheanBeholderScryDoubt');

/** x/crypto/bcrypt's ErrPasswordTooLong message. */
export const ERR_PASSWORD_TOO_LONG = 'bcrypt: password length exceeds 72 bytes';

/**
 * bcrypt.GenerateFromPassword with a given 16-byte salt: "$2a$10$" + 22 salt chars + 31 hash chars.
 * Throws Error(ERR_PASSWORD_TOO_LONG) for passwords over 72 bytes, as Go returns it.
 */
export function bcryptHash(password: Uint8Array, cost: number, salt: Uint8Array): string {
  if (password.length > 72) throw new Error(ERR_PASSWORD_TOO_LONG);
  if (cost < 4) cost = 10; // below MinCost Go uses DefaultCost
  if (cost > 31) throw new Error(`crypto/bcrypt: cost ${cost} is outside allowed inclusive range 4..31`);
  // The trailing NUL is part of the key, for compatibility with the C implementations.
  const key = new Uint8Array(password.length + 1);
  key.set(password);
  const c = new Blowfish();
  c.expand(key, salt);
  const rounds = 2 ** cost;
  for (let i = 0; i < rounds; i++) {
    c.expand(key);
    c.expand(salt);
  }
  const data = new DataView(MAGIC.slice().buffer);
  const block = new Int32Array(2);
  for (let i = 0; i < 24; i += 8) {
    block[0] = data.getInt32(i);
    block[1] = data.getInt32(i + 4);
    for (let j = 0; j < 64; j++) c.encrypt(block[0]!, block[1]!, block);
    data.setInt32(i, block[0]!);
    data.setInt32(i + 4, block[1]!);
  }
  const hash = new Uint8Array(data.buffer).subarray(0, 23);
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(hash)}`;
}

/** Decodes bcrypt's base64 (for reading the salt of an existing hash). */
export function bcryptBase64Decode(s: string): Uint8Array {
  const std = s.replace(/[./A-Za-z0-9]/g, (c) => STD_ALPHABET[BCRYPT_ALPHABET.indexOf(c)]!);
  return new Uint8Array(Buffer.from(std + '='.repeat((4 - (std.length % 4)) % 4), 'base64'));
}
