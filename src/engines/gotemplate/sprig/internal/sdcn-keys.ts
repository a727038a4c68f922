/**
 * Private keys as sprig handles them (crypto.go): generating them (genPrivateKey), writing
 * them as PEM the way pemBlockForKey does (PKCS#1 "RSA PRIVATE KEY", SEC 1 "EC PRIVATE KEY",
 * sprig's own "DSA PRIVATE KEY" layout, PKCS#8 "PRIVATE KEY" for the rest) and reading them
 * back (parsePrivateKeyPEM), with the key types Go's crypto/x509 accepts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { DerError, children, integer, readDer, readInteger, readOid, seq } from './sdcn-der.js';
import { pemDecode, pemEncode } from './sdcn-pem.js';

/** The DSA numbers sprig writes (its DSAKeyFormat struct). */
export interface DsaKey {
  p: bigint;
  q: bigint;
  g: bigint;
  y: bigint;
  x: bigint;
}

/** A private key of one of the types Go's x509 package returns. */
export type PrivateKey =
  | { kind: 'rsa' | 'ecdsa' | 'ed25519' | 'x25519'; key: KeyObject }
  | { kind: 'dsa'; dsa: DsaKey };

/** Go's %T of the key's public half, for error messages. */
export function publicKeyGoType(k: PrivateKey): string {
  switch (k.kind) {
    case 'rsa':
      return '*rsa.PublicKey';
    case 'ecdsa':
      return '*ecdsa.PublicKey';
    case 'ed25519':
      return 'ed25519.PublicKey';
    case 'x25519':
      return '*ecdh.PublicKey';
    case 'dsa':
      return '*dsa.PublicKey';
  }
}

/** Curves crypto/x509 parses, by Node's name, with their Go names. */
export const GO_CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp224r1: 'P-224',
};

function derOf(key: KeyObject, type: 'pkcs1' | 'sec1' | 'pkcs8'): Uint8Array {
  return new Uint8Array(key.export({ type, format: 'der' } as never) as unknown as Buffer);
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  for (; exp > 0n; exp >>= 1n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
  }
  return result;
}

/** DSA numbers of a Node DSA key, read from its PKCS#8 encoding (Node cannot export them otherwise). */
function dsaFromKeyObject(key: KeyObject): DsaKey {
  const info = children(readDer(derOf(key, 'pkcs8')));
  const params = children(children(info[1]!)[1]!);
  const [p, q, g] = params.map(readInteger) as [bigint, bigint, bigint];
  const x = readInteger(readDer(info[2]!.contents));
  return { p, q, g, x, y: modPow(g, x, p) };
}

/** pemBlockForKey + pem.EncodeToMemory. */
export function pemForKey(k: PrivateKey): string {
  switch (k.kind) {
    case 'rsa':
      return pemEncode('RSA PRIVATE KEY', derOf(k.key, 'pkcs1'));
    case 'ecdsa':
      return pemEncode('EC PRIVATE KEY', derOf(k.key, 'sec1'));
    case 'dsa': {
      const { p, q, g, y, x } = k.dsa;
      return pemEncode('DSA PRIVATE KEY', seq(integer(0n), integer(p), integer(q), integer(g), integer(y), integer(x)));
    }
    default:
      return pemEncode('PRIVATE KEY', derOf(k.key, 'pkcs8'));
  }
}

/**
 * genPrivateKey's keys: RSA 4096 for "" and "rsa", DSA L2048N256, ECDSA P-256, Ed25519.
 * Undefined for any other type (sprig then prints "Unknown type …").
 */
export function generatePrivateKey(typ: string): PrivateKey | undefined {
  switch (typ) {
    case '':
    case 'rsa':
      return generateRsaKey(4096);
    case 'dsa':
      return { kind: 'dsa', dsa: dsaFromKeyObject(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey) };
    case 'ecdsa':
      return { kind: 'ecdsa', key: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey };
    case 'ed25519':
      return { kind: 'ed25519', key: generateKeyPairSync('ed25519').privateKey };
    default:
      return undefined;
  }
}

export function generateRsaKey(bits: number): PrivateKey {
  return { kind: 'rsa', key: generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 }).privateKey };
}

/** An error from parsing a private key, with the message Go would give (or close to it). */
export class KeyError extends Error {}

const OID_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'rsa',
  '1.2.840.10045.2.1': 'ec',
  '1.3.101.112': 'ed25519',
  '1.3.101.110': 'x25519',
};

function tryKey(der: Uint8Array, type: 'pkcs1' | 'sec1' | 'pkcs8'): KeyObject | undefined {
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type });
  } catch {
    return undefined;
  }
}

function ecKey(key: KeyObject, wrap: (m: string) => string): PrivateKey {
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  if (!GO_CURVES[curve]) throw new KeyError(wrap('x509: unknown elliptic curve'));
  return { kind: 'ecdsa', key };
}

/** x509.ParsePKCS8PrivateKey. */
function parsePkcs8(der: Uint8Array): PrivateKey {
  let algorithm: string;
  try {
    const info = children(readDer(der));
    algorithm = readOid(children(info[1]!)[0]!);
  } catch {
    if (tryKey(der, 'sec1')) throw new KeyError('x509: failed to parse private key (use ParseECPrivateKey instead for this key format)');
    if (tryKey(der, 'pkcs1')) throw new KeyError('x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)');
    throw new KeyError('asn1: structure error: tags don\'t match');
  }
  const kind = OID_NAMES[algorithm];
  if (!kind) throw new KeyError(`x509: PKCS#8 wrapping contained private key with unknown algorithm: ${algorithm}`);
  const key = tryKey(der, 'pkcs8');
  if (!key) throw new KeyError(`x509: failed to parse ${kind === 'rsa' ? 'RSA' : kind === 'ec' ? 'EC' : kind} private key embedded in PKCS#8`);
  if (kind === 'ec') return ecKey(key, (m) => `x509: failed to parse EC private key embedded in PKCS#8: ${m}`);
  return { kind: kind as 'rsa' | 'ed25519' | 'x25519', key };
}

/** sprig's parsePrivateKeyPEM. Throws KeyError with sprig's and Go's wording. */
export function parsePrivateKeyPem(text: string): PrivateKey {
  const block = pemDecode(text);
  if (!block) throw new KeyError('no PEM data in input');
  if (block.type === 'PRIVATE KEY') {
    try {
      return parsePkcs8(block.bytes);
    } catch (e) {
      if (e instanceof KeyError) throw new KeyError(`decoding PEM as PKCS#8: ${e.message}`);
      throw e;
    }
  }
  if (!block.type.endsWith(' PRIVATE KEY')) throw new KeyError(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA': {
      const key = tryKey(block.bytes, 'pkcs1');
      if (key) return { kind: 'rsa', key };
      let why = 'x509: invalid RSA private key';
      if (tryKey(block.bytes, 'pkcs8')) why = 'x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)';
      else if (tryKey(block.bytes, 'sec1')) why = 'x509: failed to parse private key (use ParseECPrivateKey instead for this key format)';
      throw new KeyError(`parsing RSA private key from PEM: ${why}`);
    }
    case 'EC': {
      const key = tryKey(block.bytes, 'sec1');
      if (key) return ecKey(key, (m) => `parsing EC private key from PEM: ${m}`);
      let why = 'x509: failed to parse EC private key';
      if (tryKey(block.bytes, 'pkcs8')) why = 'x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)';
      else if (tryKey(block.bytes, 'pkcs1')) why = 'x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)';
      throw new KeyError(`parsing EC private key from PEM: ${why}`);
    }
    case 'DSA':
      try {
        const [, p, q, g, y, x] = children(readDer(block.bytes)).map(readInteger);
        if (x === undefined) throw new DerError('asn1: syntax error: sequence truncated');
        return { kind: 'dsa', dsa: { p: p!, q: q!, g: g!, y: y!, x } };
      } catch (e) {
        if (e instanceof DerError) throw new KeyError(`parsing DSA private key from PEM: ${e.message}`);
        throw e;
      }
    default:
      throw new KeyError(`invalid private key type ${block.type}`);
  }
}

/** The SubjectPublicKeyInfo (DER) of a key's public half; undefined for DSA, which Go's x509 cannot marshal. */
export function publicKeyInfo(k: PrivateKey): Uint8Array | undefined {
  if (k.kind === 'dsa') return undefined;
  return new Uint8Array(createPublicKey(k.key).export({ type: 'spki', format: 'der' }));
}
