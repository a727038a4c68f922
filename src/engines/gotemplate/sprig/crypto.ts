/**
 * sprig's crypto functions (sprig v3.3.0 crypto.go): hashes, bcrypt/htpasswd, derivePassword,
 * private keys, certificates, AES, uuidv4 and randBytes.
 *
 * Randomness that shows in the output (bcrypt salts, AES IVs, UUIDs, randBytes, certificate
 * serial numbers) comes from the injected `random`, so a test can fix it. Key generation and
 * ECDSA signatures use Node's own CSPRNG: their output cannot be reproduced in Go either.
 * Certificates are assembled here (internal/sdcn-x509.ts) and signed with node:crypto.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, scryptSync } from 'node:crypto';
import { sprint } from '../fmt.js';
import { GoFuncError, GoStruct, defineFunc, goTypeName } from '../values.js';
import type { GoFunc } from '../values.js';
import { ERR_PASSWORD_TOO_LONG, bcryptHash } from './internal/sdcn-bcrypt.js';
import { KeyError, generatePrivateKey, generateRsaKey, parsePrivateKeyPem, pemForKey } from './internal/sdcn-keys.js';
import type { PrivateKey } from './internal/sdcn-keys.js';
import { parseGoIP } from './internal/sdcn-netip.js';
import { Base64Error, goBase64Decode, pemDecode, pemEncode } from './internal/sdcn-pem.js';
import { CertificateError, createCertificate, parseIssuer } from './internal/sdcn-x509.js';
import type { Issuer } from './internal/sdcn-x509.js';

/** Options of {@link cryptoFuncs}. */
export interface CryptoFuncsOptions {
  /**
   * The clock certificates are dated by (NotBefore = now, NotAfter = now + days).
   * @default the system clock (`new Date()`); the template engine should pass its injected clock
   */
  clock?: () => Date;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** bcrypt.DefaultCost, what sprig's bcrypt and htpasswd use. */
const BCRYPT_COST = 10;
const CERTIFICATE_TYPE = 'sprig.certificate';

/** sprig's certificate struct: fields Cert and Key, PEM text. */
export function certificateValue(cert: string, key: string): GoStruct {
  return new GoStruct(CERTIFICATE_TYPE, { Cert: cert, Key: key });
}

function hex(hash: string, input: string): string {
  return createHash(hash).update(utf8.encode(input)).digest('hex');
}

/** hash/adler32.Checksum. */
function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// --- derivePassword (the Master Password algorithm) -------------------------------------------

const MASTER_PASSWORD_SEED = 'com.lyndir.masterpassword';
const PASSWORD_TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno',
    'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const TEMPLATE_CHARACTERS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

function uint32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function derivePassword(counter: number, passwordType: string, password: string, user: string, site: string): string {
  const templates = PASSWORD_TEMPLATES[passwordType];
  if (!templates) return `cannot find password template ${passwordType}`;
  const seed = utf8.encode(MASTER_PASSWORD_SEED);
  const userBytes = utf8.encode(user);
  const siteBytes = utf8.encode(site);
  const salt = concatBytes(seed, uint32be(userBytes.length), userBytes);
  const key = scryptSync(utf8.encode(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 256 * 1024 * 1024 });
  const message = concatBytes(seed, uint32be(siteBytes.length), siteBytes, uint32be(counter));
  const hmac = createHmac('sha256', key).update(message).digest();
  const template = templates[hmac[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const chars = TEMPLATE_CHARACTERS[template[i]!]!;
    out += chars[hmac[i + 1]! % chars.length];
  }
  return out;
}

// --- certificates -----------------------------------------------------------------------------

function certificateOf(ca: unknown): { Cert: string; Key: string } {
  if (ca instanceof GoStruct && ca.typeName === CERTIFICATE_TYPE) {
    return { Cert: String(ca.fields.Cert ?? ''), Key: String(ca.fields.Key ?? '') };
  }
  throw new GoFuncError(`wrong type for value; expected ${CERTIFICATE_TYPE}; got ${goTypeName(ca)}`);
}

/** getNetIPs. */
function netIPs(ips: unknown[] | null): Uint8Array[] {
  return (ips ?? []).map((ip) => {
    if (typeof ip !== 'string') throw new GoFuncError(`error parsing ip: ${sprint(ip)} is not a string`);
    const parsed = parseGoIP(ip);
    if (!parsed) throw new GoFuncError(`error parsing ip: ${ip}`);
    return parsed;
  });
}

/** getAlternateDNSStrs. */
function dnsNames(names: unknown[] | null): string[] {
  return (names ?? []).map((n) => {
    if (typeof n !== 'string') throw new GoFuncError(`error processing alternate dns name: ${sprint(n)} is not a string`);
    return n;
  });
}

function parseKeyOrFail(pem: string, prefix: string): PrivateKey {
  try {
    return parsePrivateKeyPem(pem);
  } catch (e) {
    if (e instanceof KeyError) throw new GoFuncError(`${prefix}${e.message}`);
    throw e;
  }
}

/**
 * sprig's crypto functions. `random` returns numbers in [0, 1) like Math.random; each random
 * byte is floor(random() * 256).
 */
export function cryptoFuncs(random: () => number, options: CryptoFuncsOptions = {}): GoFunc[] {
  const clock = options.clock ?? (() => new Date());
  const randomBytes = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256) & 0xff;
    return b;
  };

  const bcrypt = (input: string): string => {
    try {
      return bcryptHash(utf8.encode(input), BCRYPT_COST, randomBytes(16));
    } catch (e) {
      if (e instanceof Error && e.message === ERR_PASSWORD_TOO_LONG) return `failed to encrypt string with bcrypt: ${e.message}`;
      throw e;
    }
  };

  /** getBaseCertTemplate, then getCertAndKey. */
  const makeCertificate = (cn: string, ips: unknown[] | null, dns: unknown[] | null, daysValid: bigint, subjectKey: PrivateKey, issuer: Issuer | undefined, signingKey: PrivateKey, isCA = false): GoStruct => {
    const ipAddresses = netIPs(ips);
    const names = dnsNames(dns);
    let serial = 0n;
    for (const b of randomBytes(16)) serial = (serial << 8n) | BigInt(b); // rand.Int(rand.Reader, 1<<128)
    const now = clock().getTime();
    let der: Uint8Array;
    try {
      der = createCertificate(
        { serial, commonName: cn, ipAddresses, dnsNames: names, notBeforeMs: now, notAfterMs: now + Number(daysValid) * 86_400_000, isCA },
        subjectKey,
        issuer,
        signingKey,
      );
    } catch (e) {
      if (e instanceof CertificateError) throw new GoFuncError(`error creating certificate: ${e.message}`);
      throw e;
    }
    return certificateValue(pemEncode('CERTIFICATE', der), pemForKey(subjectKey));
  };

  const selfSigned = (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, key: PrivateKey, isCA = false) =>
    makeCertificate(cn, ips, dns, days, key, undefined, key, isCA);

  const signed = (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, ca: unknown, key: () => PrivateKey) => {
    const { Cert, Key } = certificateOf(ca);
    const subjectKey = key();
    const block = pemDecode(Cert);
    if (!block) throw new GoFuncError('unable to decode certificate');
    let issuer: Issuer;
    try {
      issuer = parseIssuer(block.bytes);
    } catch (e) {
      if (e instanceof CertificateError) throw new GoFuncError(`error parsing certificate: decodedSignerCert.Bytes: ${e.message}`);
      throw e;
    }
    const signerKey = parseKeyOrFail(Key, 'error parsing private key: ');
    return makeCertificate(cn, ips, dns, days, subjectKey, issuer, signerKey);
  };

  return [
    defineFunc('sha1sum', ['string'], (s: string) => hex('sha1', s)),
    defineFunc('sha256sum', ['string'], (s: string) => hex('sha256', s)),
    defineFunc('sha512sum', ['string'], (s: string) => hex('sha512', s)),
    defineFunc('adler32sum', ['string'], (s: string) => String(adler32(utf8.encode(s)))),
    defineFunc('bcrypt', ['string'], bcrypt),
    defineFunc('htpasswd', ['string', 'string'], (username: string, password: string) =>
      username.includes(':') ? `invalid username: ${username}` : `${username}:${bcrypt(password)}`,
    ),
    defineFunc('randBytes', ['int'], (count: bigint) => {
      if (count < 0n) throw new GoFuncError('runtime error: makeslice: len out of range');
      return Buffer.from(randomBytes(Number(count))).toString('base64');
    }),
    defineFunc('uuidv4', [], () => {
      const b = randomBytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40; // version 4
      b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
      const h = Buffer.from(b).toString('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }),
    defineFunc('derivePassword', ['int', 'string', 'string', 'string', 'string'], (counter: bigint, passwordType: string, password: string, user: string, site: string) =>
      derivePassword(Number(BigInt.asUintN(32, counter)), passwordType, password, user, site),
    ),
    defineFunc('genPrivateKey', ['string'], (typ: string) => {
      const key = generatePrivateKey(typ);
      return key ? pemForKey(key) : `Unknown type ${typ}`;
    }),
    defineFunc('buildCustomCert', ['string', 'string'], (b64cert: string, b64key: string) => {
      let cert: Uint8Array;
      let key: Uint8Array;
      try {
        cert = goBase64Decode(utf8.encode(b64cert));
      } catch {
        throw new GoFuncError('unable to decode base64 certificate');
      }
      try {
        key = goBase64Decode(utf8.encode(b64key));
      } catch {
        throw new GoFuncError('unable to decode base64 private key');
      }
      const block = pemDecode(cert);
      if (!block) throw new GoFuncError('unable to decode certificate');
      try {
        parseIssuer(block.bytes);
      } catch (e) {
        if (e instanceof CertificateError) throw new GoFuncError(`error parsing certificate: decodedCert.Bytes: ${e.message}`);
        throw e;
      }
      parseKeyOrFail(fromUtf8.decode(key), 'error parsing private key: ');
      return certificateValue(fromUtf8.decode(cert), fromUtf8.decode(key));
    }),
    defineFunc('genCA', ['string', 'int'], (cn: string, days: bigint) => selfSigned(cn, null, null, days, generateRsaKey(2048), true)),
    defineFunc('genCAWithKey', ['string', 'int', 'string'], (cn: string, days: bigint, pem: string) =>
      selfSigned(cn, null, null, days, parseKeyOrFail(pem, 'parsing private key: '), true),
    ),
    defineFunc('genSelfSignedCert', ['string', 'slice', 'slice', 'int'], (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint) =>
      selfSigned(cn, ips, dns, days, generateRsaKey(2048)),
    ),
    defineFunc('genSelfSignedCertWithKey', ['string', 'slice', 'slice', 'int', 'string'], (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, pem: string) =>
      selfSigned(cn, ips, dns, days, parseKeyOrFail(pem, 'parsing private key: ')),
    ),
    defineFunc('genSignedCert', ['string', 'slice', 'slice', 'int', 'any'], (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, ca: unknown) =>
      signed(cn, ips, dns, days, ca, () => generateRsaKey(2048)),
    ),
    defineFunc(
      'genSignedCertWithKey',
      ['string', 'slice', 'slice', 'int', 'any', 'string'],
      (cn: string, ips: unknown[] | null, dns: unknown[] | null, days: bigint, ca: unknown, pem: string) =>
        signed(cn, ips, dns, days, ca, () => parseKeyOrFail(pem, 'parsing private key: ')),
    ),
    defineFunc('encryptAES', ['string', 'string'], (password: string, plaintext: string) => {
      if (plaintext === '') return '';
      const content = utf8.encode(plaintext);
      const padding = 16 - (content.length % 16);
      const padded = concatBytes(content, new Uint8Array(padding).fill(padding));
      const iv = randomBytes(16);
      const cipher = createCipheriv('aes-256-cbc', aesKey(password), iv).setAutoPadding(false);
      return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString('base64');
    }),
    defineFunc('decryptAES', ['string', 'string'], (password: string, crypt64: string) => {
      if (crypt64 === '') return '';
      let crypt: Uint8Array;
      try {
        crypt = goBase64Decode(utf8.encode(crypt64));
      } catch (e) {
        if (e instanceof Base64Error) throw new GoFuncError(e.message);
        throw e;
      }
      // No checks in sprig: short or ragged input and bad padding panic, as here.
      // Go's message names the buffer's capacity: DecodeString allocates DecodedLen(len(s)).
      if (crypt.length < 16) {
        throw new GoFuncError(`runtime error: slice bounds out of range [:16] with capacity ${Math.floor(utf8.encode(crypt64).length / 4) * 3}`);
      }
      const body = crypt.subarray(16);
      if (body.length % 16 !== 0) throw new GoFuncError('crypto/cipher: input not full blocks');
      const decipher = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16)).setAutoPadding(false);
      const decrypted = new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
      if (decrypted.length === 0) throw new GoFuncError('runtime error: index out of range [-1]');
      const end = decrypted.length - decrypted[decrypted.length - 1]!;
      if (end < 0) throw new GoFuncError(`runtime error: slice bounds out of range [:${end}]`);
      return fromUtf8.decode(decrypted.subarray(0, end));
    }),
  ];
}

/** sprig's AES key: the password's bytes, cut or zero-padded to 32 (AES-256). */
function aesKey(password: string): Uint8Array {
  const key = new Uint8Array(32);
  key.set(utf8.encode(password).subarray(0, 32));
  return key;
}
