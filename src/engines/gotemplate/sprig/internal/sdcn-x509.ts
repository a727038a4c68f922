/**
 * x509.CreateCertificate for the templates sprig builds (getBaseCertTemplate): the same
 * fields, extensions in Go's order (key usage, extended key usage, basic constraints, subject
 * key id, authority key id, subject alt names), Go's string and time encodings, Go 1.26's
 * SHA-256-based subject key id, and Go's checks and error messages. Signing is Node's.
 */
import { X509Certificate, createHash, sign } from 'node:crypto';
import { TAG, bitString, bool, children, explicit, goString, goTime, implicit, integer, octetString, oid, readDer, readOid, seq, set, tlv } from './sdcn-der.js';
import type { Der } from './sdcn-der.js';
import { GO_CURVES, publicKeyGoType, publicKeyInfo } from './sdcn-keys.js';
import { goQuote } from '../../../goruntime/index.js';
import type { PrivateKey } from './sdcn-keys.js';

/** An error from certificate creation, with Go's message. */
export class CertificateError extends Error {}

/** The certificate sprig asks for. */
export interface CertificateTemplate {
  serial: bigint;
  commonName: string;
  /** 4 or 16 bytes each, in order. */
  ipAddresses: Uint8Array[];
  dnsNames: string[];
  notBeforeMs: number;
  notAfterMs: number;
  isCA: boolean;
}

/** What CreateCertificate needs of the issuing certificate. */
export interface Issuer {
  rawSubject: Uint8Array;
  subjectKeyId?: Uint8Array;
  publicKeyInfo: Uint8Array;
}

const OID_CN = '2.5.4.3';
const EXT_KEY_USAGE = '2.5.29.15';
const EXT_EXT_KEY_USAGE = '2.5.29.37';
const EXT_BASIC_CONSTRAINTS = '2.5.29.19';
const EXT_SUBJECT_KEY_ID = '2.5.29.14';
const EXT_AUTHORITY_KEY_ID = '2.5.29.35';
const EXT_SAN = '2.5.29.17';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

// x509.KeyUsage bits.
const DIGITAL_SIGNATURE = 1 << 0;
const KEY_ENCIPHERMENT = 1 << 2;
const CERT_SIGN = 1 << 5;

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), bool(true), octetString(value)) : seq(oid(id), octetString(value));
}

function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i);
  return r;
}

/** marshalKeyUsage: bits in ASN.1 order, the BIT STRING cut after its last set bit. */
function keyUsage(ku: number): Uint8Array {
  const a = [reverseBits(ku & 0xff), reverseBits((ku >> 8) & 0xff)];
  const bytes = new Uint8Array(a[1] !== 0 ? a : a.slice(0, 1));
  let bitLen = bytes.length * 8;
  outer: for (let i = bytes.length - 1; i >= 0; i--) {
    for (let bit = 0; bit < 8; bit++) {
      if ((bytes[i]! >> bit) & 1) break outer;
      bitLen--;
    }
  }
  return bitString(bytes, bytes.length * 8 - bitLen);
}

function subjectName(cn: string): Uint8Array {
  return cn === '' ? seq() : seq(set(seq(oid(OID_CN), goString(cn))));
}

function signatureAlgorithm(k: PrivateKey): { algorithm: Uint8Array; hash: string | null } {
  switch (k.kind) {
    case 'rsa':
      return { algorithm: seq(oid('1.2.840.113549.1.1.11'), tlv(TAG.NULL)), hash: 'sha256' };
    case 'ed25519':
      return { algorithm: seq(oid('1.3.101.112')), hash: null };
    case 'ecdsa': {
      const curve = GO_CURVES[k.key.asymmetricKeyDetails?.namedCurve ?? ''];
      if (curve === 'P-384') return { algorithm: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
      if (curve === 'P-521') return { algorithm: seq(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
      if (curve === 'P-224' || curve === 'P-256') return { algorithm: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
      throw new CertificateError('x509: unsupported elliptic curve');
    }
    default:
      throw new CertificateError('x509: only RSA, ECDSA and Ed25519 keys supported');
  }
}

/** The subjectPublicKey bits of a SubjectPublicKeyInfo. */
function publicKeyBits(spki: Uint8Array): Uint8Array {
  return children(readDer(spki))[1]!.contents.subarray(1);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * x509.CreateCertificate(rand, template, parent, pub, priv). `issuer` undefined means
 * self-signed (parent is the template). Returns the DER certificate.
 */
export function createCertificate(template: CertificateTemplate, subjectKey: PrivateKey, issuer: Issuer | undefined, signingKey: PrivateKey): Uint8Array {
  if (signingKey.kind === 'dsa' || signingKey.kind === 'x25519') {
    throw new CertificateError('x509: certificate private key does not implement crypto.Signer');
  }
  if (template.serial < 0n) throw new CertificateError('x509: serial number must be positive');
  const sigAlg = signatureAlgorithm(signingKey);
  const spki = publicKeyInfo(subjectKey);
  if (!spki) throw new CertificateError(`x509: unsupported public key type: ${publicKeyGoType(subjectKey)}`);

  const subject = subjectName(template.commonName);
  const issuerName = issuer ? issuer.rawSubject : subject;
  const authorityKeyId = issuer && !equalBytes(issuerName, subject) && issuer.subjectKeyId?.length ? issuer.subjectKeyId : undefined;
  // Go 1.25+ (x509sha256skid=1): the leftmost 160 bits of the SHA-256 of the key bits (RFC 7093).
  const subjectKeyId = template.isCA ? new Uint8Array(createHash('sha256').update(publicKeyBits(spki)).digest()).subarray(0, 20) : undefined;

  const signerSpki = publicKeyInfo(signingKey)!;
  if (!equalBytes(signerSpki, issuer ? issuer.publicKeyInfo : spki)) {
    throw new CertificateError("x509: provided PrivateKey doesn't match parent's PublicKey");
  }

  for (const name of template.dnsNames) {
    if ([...name].some((c) => c.codePointAt(0)! > 0x7f)) {
      throw new CertificateError(`x509: ${goQuote(name)} cannot be encoded as an IA5String`);
    }
  }

  const extensions: Uint8Array[] = [
    extension(EXT_KEY_USAGE, true, keyUsage(KEY_ENCIPHERMENT | DIGITAL_SIGNATURE | (template.isCA ? CERT_SIGN : 0))),
    extension(EXT_EXT_KEY_USAGE, false, seq(oid(SERVER_AUTH), oid(CLIENT_AUTH))),
    extension(EXT_BASIC_CONSTRAINTS, true, template.isCA ? seq(bool(true)) : seq()),
  ];
  if (subjectKeyId) extensions.push(extension(EXT_SUBJECT_KEY_ID, false, octetString(subjectKeyId)));
  if (authorityKeyId) extensions.push(extension(EXT_AUTHORITY_KEY_ID, false, seq(implicit(0, authorityKeyId))));
  if (template.dnsNames.length > 0 || template.ipAddresses.length > 0) {
    const names = [...template.dnsNames.map((n) => implicit(2, new TextEncoder().encode(n))), ...template.ipAddresses.map((ip) => implicit(7, ip))];
    // RFC 5280: with an empty subject the alternative names are critical.
    extensions.push(extension(EXT_SAN, subject.length === 2, seq(...names)));
  }

  const tbs = seq(
    explicit(0, integer(2n)),
    integer(template.serial),
    sigAlg.algorithm,
    issuerName,
    seq(goTime(template.notBeforeMs), goTime(template.notAfterMs)),
    subject,
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = new Uint8Array(sign(sigAlg.hash, tbs, signingKey.key));
  return seq(tbs, sigAlg.algorithm, bitString(signature));
}

function findExtension(extensions: Der | undefined, id: string): Der | undefined {
  if (!extensions) return undefined;
  for (const ext of children(children(extensions)[0]!)) {
    const parts = children(ext);
    if (readOid(parts[0]!) === id) return parts[parts.length - 1];
  }
  return undefined;
}

/**
 * x509.ParseCertificate, for what CreateCertificate reads of a parent certificate.
 * Throws CertificateError when the DER is not a certificate.
 */
export function parseIssuer(der: Uint8Array): Issuer {
  try {
    new X509Certificate(Buffer.from(der));
    const tbs = children(children(readDer(der))[0]!);
    const fields = tbs[0]!.tag === 0xa0 ? tbs.slice(1) : tbs;
    // serial, signature, issuer, validity, subject, spki, then optional [1] [2] [3]
    const extensions = fields.slice(6).find((d) => d.tag === 0xa3);
    const skid = findExtension(extensions, EXT_SUBJECT_KEY_ID);
    return {
      rawSubject: fields[4]!.raw,
      publicKeyInfo: fields[5]!.raw,
      subjectKeyId: skid ? readDer(skid.contents).contents : undefined,
    };
  } catch {
    throw new CertificateError('x509: malformed certificate');
  }
}
