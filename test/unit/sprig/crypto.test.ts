import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { GoStruct } from '../../../src/engines/gotemplate/values.js';
import { GoFuncError } from '../../../src/engines/gotemplate/values.js';
import { cryptoFuncs } from '../../../src/engines/gotemplate/sprig/crypto.js';
import { bcryptBase64Decode, bcryptHash } from '../../../src/engines/gotemplate/sprig/internal/sdcn-bcrypt.js';
import { children, readDer, readOid } from '../../../src/engines/gotemplate/sprig/internal/sdcn-der.js';

// sprig v3.3.0 crypto_test.go and x/crypto/bcrypt's test vector, then cases checked against
// sprig in Go: the same template run by Go's text/template (hashes, derivePassword, AES
// ciphertexts made by Go, error messages), and certificates that Go's x509.CreateCertificate
// made from the same keys, serial numbers and times, byte for byte.

type Fn = (...args: unknown[]) => unknown;

/** A seeded generator (mulberry32) standing in for crypto/rand. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLOCK = new Date('2024-01-02T03:04:05.678Z');

function funcs(seed = 42): Record<string, Fn> {
  return Object.fromEntries(cryptoFuncs(seeded(seed), { clock: () => CLOCK }).map((f) => [f.name, f.fn as Fn]));
}

const cert = (v: unknown) => (v as GoStruct).fields as { Cert: string; Key: string };

/** Fixed keys (generated once) and what Go made of them with the serials of seeded(42). */
const ED25519_KEY = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIs89XhCQHLq8HeNixD6ibKzjfdkuw5rOI3L06yIkLo3\n-----END PRIVATE KEY-----\n";
const RSA_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEogIBAAKCAQEAyRWgUqiWt34hPHVknZl/cUWNypKkonrtuNQvt3lAg9fkEe0q\nLybe2Ldvy/tSwdPu591E6AhDP3N69TBj7zwf4u2POd3gUFiYfMqUxuGUuR8dfh21\nvfa8+htvIIUHEr0cmINC9+d120uY3zTDLdDHT/um623DPNMlnIGkqKkAXWFULS/C\nD73pA40zJoPOi5Yyl3QzJkZ23wchE+ZslwM8OeOD9mu7O/i0jhQGKRS2f8CUqgnk\nEfFMyVOoGqGBPZHa2qxIpPg/DxRYQGDSPdpzzwOdN1S2sp4ZynqZIgiLfX1A4oB1\nvB2gO2NDsMiw3BnpWimkiFgBSYYeiTB9fP95QQIDAQABAoIBAAfaOZjIvxv6x7L7\n9Zom7qBegjc9K0MyEDr1xEhCqqeLZHtjutA9ERo+7ZV2YsixbUSuMhzqh6/AY3aU\nNW7X9vnOY5ezp6kTkJ7c7Vrn374r7iOo5to8eqw8qoYHU9uiOW3mQFT8e7B83wMm\nZRHSs5nWvrG2Z1emejNGp8azVNGQo+Bbs235nj8D42ZtAviaK22qZ/VJJSJ9s2J3\nutqTWihJy3xzrxdUDefoROOFAdjUFr/h4/+s4wAoGTlqYxBqyA+lEtzJMRBKoaII\nqhgMu3G+jA6ZpjwTKvJO4KAa7B4Vcwop7rl9l2+6hJBHbXs71+neuwmVOomHSYLF\n2AKlNv0CgYEA+xyhDAd1pNUWlw00Lny+23uF99lXDTjPXAHofn/JSOba4eJStBbl\nrh1LNITbmcE+6fIsTUwEDOMevNI72fjZV/ZkB/Nh9Se6bVrRtbUQtHFCwkkgpfbW\nlJ3oOtrS9zZSYakghzamC/kOSsZzH5lmgNXNKPTZSD4ucLmBDIzpGbUCgYEAzP+x\n3hn7kl22tkZu3qPSHFVWxl9BWDsHJJs+5FUS6m7FiTi3a4XjXN6mLd1ZqQBup0uL\neg7idC9rEmSRt+SVQM4DIblCR3Rl51RDAFrKv5f4pDMgwFAB72hbW9qsN3mmi70E\nHbFflFO92U0qAO1X5Egt4Nl2wivYNnH/VhTAKN0CgYA6vgjCiqAvrhV5woH5ef8f\n0vaU80fU9Pw1FtEvfm802aRMgSg9rrmOEJY+M/I3NqikC53neyfbZ+oR29BafkdB\nt4bRAVNiCSgoWr2CF1hQDcrDLl4v1N1/qKzhz7zYTeHZrLnKR7NyS5HXVjMqKjV7\nYAh9U0HdD4bHoe2ZZQFGnQKBgGCxOnRITSD8kvHmxuS84J38orFuvKOhM/1QPJn2\nhrWNCh9vYRSWUme7nSaFAYV1brv6Jg+sdaPXuekzBoh2iO/IPDHr8BdED8zNMc05\nBejZBa5tb0VGd6M01eK9gf2oo6XFwes/fpW36hRVETreuFY0tW8ZI6ryg0kq/ATe\nRMUBAoGAAJHm8gL3p8jhHLJ2T3V7dKdUwCMMAiqN+NttlkBd5mmNEQ1TDrEHSTUU\n/c+LR/0dLl/R+rqQb+PTkkBEToMcNNepdeANWO8isala8r4hBItlSg2itpXQuAOL\nQFfmKdPGq9QwPW1QQVz4EJSEXJjkDYBL9Q98SWZtPg4GGWotHDM=\n-----END RSA PRIVATE KEY-----\n";
const GO_CA_CERT = "-----BEGIN CERTIFICATE-----\nMIIDDjCCAfagAwIBAgIRAJly2qsshkWf3Xg/4b5OMoAwDQYJKoZIhvcNAQELBQAw\nETEPMA0GA1UEAxMGZm9vLWNhMB4XDTI0MDEwMjAzMDQwNVoXDTI1MDEwMTAzMDQw\nNVowETEPMA0GA1UEAxMGZm9vLWNhMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIB\nCgKCAQEAyRWgUqiWt34hPHVknZl/cUWNypKkonrtuNQvt3lAg9fkEe0qLybe2Ldv\ny/tSwdPu591E6AhDP3N69TBj7zwf4u2POd3gUFiYfMqUxuGUuR8dfh21vfa8+htv\nIIUHEr0cmINC9+d120uY3zTDLdDHT/um623DPNMlnIGkqKkAXWFULS/CD73pA40z\nJoPOi5Yyl3QzJkZ23wchE+ZslwM8OeOD9mu7O/i0jhQGKRS2f8CUqgnkEfFMyVOo\nGqGBPZHa2qxIpPg/DxRYQGDSPdpzzwOdN1S2sp4ZynqZIgiLfX1A4oB1vB2gO2ND\nsMiw3BnpWimkiFgBSYYeiTB9fP95QQIDAQABo2EwXzAOBgNVHQ8BAf8EBAMCAqQw\nHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCMA8GA1UdEwEB/wQFMAMBAf8w\nHQYDVR0OBBYEFLmCdIahz0cdR9aQJlFJYORWlbOdMA0GCSqGSIb3DQEBCwUAA4IB\nAQClKk45LH5+qx3mnv1mRtZzijKpPkza1PfErMJgLsPbgrH30bMN81UHNnRNY69D\n4ghT1sLw3J+F4npO0vzfptkYniZXH6WZEfdHXKXXLBXih5ZQTIBXzuCz/B1QWm5R\nCDXMksdj/bIwBFf1GYHVcwfVcONNj+M+PiZbekCyzSBlVbfDHceTXyxKZDn7mOlk\nm3UyBH5S9o2Up/3v71EFAGjkK6Tigj7bGkXBHNpyWkCkUDLJNQhviMJqgv/YM0QE\nQl/TEXVvwm50PFUJhX6P4E6YXro2mSdLwBmY0q+nkIGBEuEGGVIsKNgPNdJiXAdd\nmY9ZjSPUGxKbfIfwlYPWbWqs\n-----END CERTIFICATE-----\n";
const GO_LEAF_CERT = "-----BEGIN CERTIFICATE-----\nMIICPzCCASegAwIBAgIRAK+cAHjWDZcIRA8vyIcGLNcwDQYJKoZIhvcNAQELBQAw\nETEPMA0GA1UEAxMGZm9vLWNhMB4XDTI0MDEwMjAzMDQwNVoXDTI1MDEwMTAzMDQw\nNVowEjEQMA4GA1UEAxMHZm9vLmNvbTAqMAUGAytlcAMhAN3WvJ5Z6yAItgBUFv1T\nMzn1n28S4B7qdV1NZYl27/Mbo4GKMIGHMA4GA1UdDwEB/wQEAwIFoDAdBgNVHSUE\nFjAUBggrBgEFBQcDAQYIKwYBBQUHAwIwDAYDVR0TAQH/BAIwADAfBgNVHSMEGDAW\ngBS5gnSGoc9HHUfWkCZRSWDkVpWznTAnBgNVHREEIDAeggdiYXIuY29tggdiYXQu\nY29thwQKAAABhwQKAAACMA0GCSqGSIb3DQEBCwUAA4IBAQC7Fo67VXs6PbvvhVcs\nRGALaKAJfgg9iGS4NeGG05Tw2+4RI2xhU3aylYXZ+khoiD6gPG1uoBj5ReB69z0d\nXvQji9AxmiqnkyjCAWq1SaN1WEXm5XEpmuAxfw7/IGmrSRoffLSju/vRffjKyb2a\nRnjwo7xkXpIKi8rDxMPgyFSrBXNK6v1rsIC0MZ/vMTOaa2r2Z/HVNPan8NnBzjFG\nhV5rRJHq8fXFbfehBrP04mm/wbObtpnyih4JaZLH26yb8ppu5/sOlIf1loCWaJ6j\nCR4JYOixKiVQ20H0geeguw6p92m04sGEY4ETMUiWZ83uqP2wyQQ0toVtUG5CRT/L\nL1L3\n-----END CERTIFICATE-----\n";
const GO_SELF_SIGNED_CERT = "-----BEGIN CERTIFICATE-----\nMIIBTDCB/6ADAgECAhB8z1FzCQ2OmD6lNU2924I0MAUGAytlcDASMRAwDgYDVQQD\nEwdmb28uY29tMB4XDTI0MDEwMjAzMDQwNVoXDTI0MDIwMTAzMDQwNVowEjEQMA4G\nA1UEAxMHZm9vLmNvbTAqMAUGAytlcAMhAN3WvJ5Z6yAItgBUFv1TMzn1n28S4B7q\ndV1NZYl27/Mbo2swaTAOBgNVHQ8BAf8EBAMCBaAwHQYDVR0lBBYwFAYIKwYBBQUH\nAwEGCCsGAQUFBwMCMAwGA1UdEwEB/wQCMAAwKgYDVR0RBCMwIYIHYmFyLmNvbYcE\nCgAAAYcQAAAAAAAAAAAAAAAAAAAAATAFBgMrZXADQQAxrZw4TXkwP1Un/zEvFhwK\nSYvXsjlc0Dw8Mvo72uCTxjfH3kfZVAcE6fsRANH9vLmpWCGHe8JDL37dWlP2jYoP\n-----END CERTIFICATE-----\n";

describe('hashes (crypto_test.go, and Go-checked)', () => {
  test.each([
    ['sha512sum', 'abc', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    ['sha256sum', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['sha1sum', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['adler32sum', 'abc', '38600999'],
    ['sha1sum', '', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['sha1sum', 'héllo wörld', '24e9f5c07847ff8a2a9fa77456655792f5bc7f9f'],
    ['sha256sum', 'héllo wörld', 'a1003f7d04a4115711d0b48a2eaf1359ce565d2d2a6fd65098dfcffadeeef59f'],
    ['sha512sum', '🎉', '05e92f301977e4329f118ea5596a86b99bf16f43cc9ae0295ddd05a64cd045fc6270ee6637d9287278e6beb1decd082f68eb758e57b4ac1e5c9b43362088bb0a'],
    ['adler32sum', '', '1'],
    ['adler32sum', 'héllo wörld', '773523054'],
    ['adler32sum', 'Wikipedia', '300286872'],
  ])('%s %j is %s', (fn, input, want) => {
    expect(funcs()[fn]!(input)).toBe(want);
  });
});

describe('derivePassword (crypto_test.go, and Go-checked)', () => {
  test.each([
    [1n, 'long', 'password', 'user', 'example.com', 'ZedaFaxcZaso9*'],
    [2n, 'long', 'password', 'user', 'example.com', 'Fovi2@JifpTupx'],
    [1n, 'maximum', 'password', 'user', 'example.com', 'pf4zS1LjCg&LjhsZ7T2~'],
    [1n, 'medium', 'password', 'user', 'example.com', 'ZedJuz8$'],
    [1n, 'basic', 'password', 'user', 'example.com', 'pIS54PLs'],
    [1n, 'short', 'password', 'user', 'example.com', 'Zed5'],
    [1n, 'pin', 'password', 'user', 'example.com', '6685'],
    [1n, 'pin', 'pässwörd', 'üser', 'exämple.com', '7225'],
    [7n, 'basic', '', '', '', 'Rrv4pWi9'],
    [4294967295n, 'medium', 'x', 'y', 'z', 'Tur2?Fod'],
    [3n, 'maximum', 'correct horse', 'jane', 'github.com', 'V6#8sTF@es32rU*3!OCk'],
    [1n, 'nope', 'p', 'u', 's', 'cannot find password template nope'],
  ])('derivePassword %s %j %j %j %j is %j', (counter, type, password, user, site, want) => {
    expect(funcs().derivePassword!(counter, type, password, user, site)).toBe(want);
  });
});

describe('bcrypt and htpasswd', () => {
  test('x/crypto/bcrypt TestBcryptingIsCorrect', () => {
    expect(bcryptHash(new TextEncoder().encode('allmine'), 10, bcryptBase64Decode('XajjQvNhvvRt5GSeFk1xFe'))).toBe('$2a$10$XajjQvNhvvRt5GSeFk1xFeyqRrsxkhBkUiQeg0dt.wU1qD4aFDcga');
  });

  /** bcrypt.CompareHashAndPassword: hash the password again with the hash's own salt. */
  const matches = (hash: string, password: string) =>
    bcryptHash(new TextEncoder().encode(password), Number(hash.slice(4, 6)), bcryptBase64Decode(hash.slice(7, 29))) === hash;

  test('bcrypt "abc" is a $2a$10$ hash of it, salted from the injected random (TestBcrypt)', () => {
    const hash = funcs().bcrypt!('abc') as string;
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(matches(hash, 'abc')).toBe(true);
    expect(funcs().bcrypt!('abc')).toBe(hash); // same seed, same salt
    expect(funcs(7).bcrypt!('abc')).not.toBe(hash);
  });

  test.each([
    ['myUser', 'myPassword', true],
    ["special'o79Cv_*qFe,)<user", 'special<j7+3p#6-.Jx2U:m8G;kGypassword', true],
    ['wrongus:er', "doesn'tmatter", false], // ':' isn't allowed in the username (RFC 2617)
  ])('htpasswd %j %j (TestHtpasswd)', (user, password, valid) => {
    const out = funcs().htpasswd!(user, password) as string;
    if (!valid) {
      expect(out).toBe(`invalid username: ${user}`);
      return;
    }
    const [name, hash] = [out.slice(0, user.length), out.slice(user.length + 1)];
    expect(name).toBe(user);
    expect(matches(hash, password)).toBe(true);
  });

  test('a password over 72 bytes is an error message, as sprig prints it', () => {
    expect(funcs().bcrypt!('x'.repeat(73))).toBe('failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes');
  });
});

describe('random values', () => {
  test('randBytes 12 is 12 base64 bytes, different each call (TestRandBytes)', () => {
    const f = funcs();
    const out = f.randBytes!(12n) as string;
    expect(Buffer.from(out, 'base64').length).toBe(12);
    expect(f.randBytes!(12n)).not.toBe(out);
    expect(funcs().randBytes!(12n)).toBe(out); // deterministic for a seed
    expect(() => f.randBytes!(-1n)).toThrow(new GoFuncError('runtime error: makeslice: len out of range'));
  });

  test('uuidv4 is a version 4 UUID, different each call (TestUUIDGeneration)', () => {
    const f = funcs();
    const a = f.uuidv4!() as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(f.uuidv4!()).not.toBe(a);
    expect(funcs().uuidv4!()).toBe(a);
  });
});

describe('AES (crypto_test.go, and ciphertexts made by sprig in Go)', () => {
  test('encryptAES then decryptAES gives the text back (TestEncryptDecryptAES)', () => {
    const f = funcs();
    expect(f.decryptAES!('secretkey', f.encryptAES!('secretkey', 'plaintext'))).toBe('plaintext');
    expect(f.encryptAES!('k', '')).toBe('');
    expect(f.decryptAES!('k', '')).toBe('');
  });

  test.each([
    ['secretkey', 'us8eKsHfaVMIFJ0KPxsiqgGhOxZnQn5S8vHPls4ZdJA=', 'plaintext'],
    ['secretkey', 'C12XxlKESL4yLCcJnVeAXxwLghyXBgNTfEaV3rsmYt34Zxki39EFZ/nOEJpESRy8', 'exactly sixteen!'],
    ['a-very-long-password-longer-than-32-bytes!!', 'zcBO0BUsLO8ycavxQhk0NvTFEBXXHlz4RDudAVIzNwA=', 'Helm ❤ Go'],
    ['', 'Prxiq3S9Ofep8uK3PiwmIUvVy3dqXYVzTfTOXZlPE6g=', 'x'],
  ])('decryptAES %j reads Go\'s %s', (password, ciphertext, want) => {
    expect(funcs().decryptAES!(password, ciphertext)).toBe(want);
  });

  test('the IV comes from the injected random', () => {
    const a = funcs().encryptAES!('k', 'text') as string;
    expect(funcs().encryptAES!('k', 'text')).toBe(a);
    expect(Buffer.from(a, 'base64').length).toBe(32);
  });

  test.each([
    ['!!!!', 'illegal base64 data at input byte 0'],
    ['YWJj', 'runtime error: slice bounds out of range [:16] with capacity 3'],
    ['YWJjZA==', 'runtime error: slice bounds out of range [:16] with capacity 6'],
    ['YWJjZA=', 'illegal base64 data at input byte 7'],
    ['AAAAAAAAAAAAAAAAAAAAAA==', 'runtime error: index out of range [-1]'],
    ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==', 'crypto/cipher: input not full blocks'],
  ])('decryptAES "k" %j fails as sprig does: %s', (input, message) => {
    expect(() => funcs().decryptAES!('k', input)).toThrow(new GoFuncError(message));
  });
});

describe('private keys (TestGenPrivateKey)', () => {
  test.each([
    ['ecdsa', 'EC PRIVATE KEY', 'ec', { namedCurve: 'prime256v1' }],
    ['ed25519', 'PRIVATE KEY', 'ed25519', {}],
    ['dsa', 'DSA PRIVATE KEY', 'dsa', { modulusLength: 2048, divisorLength: 256 }],
    ['', 'RSA PRIVATE KEY', 'rsa', { modulusLength: 4096 }],
  ])('genPrivateKey %j is a %s', (type, header, keyType, details) => {
    const pem = funcs().genPrivateKey!(type) as string;
    expect(pem.startsWith(`-----BEGIN ${header}-----\n`)).toBe(true);
    expect(pem.endsWith(`-----END ${header}-----\n`)).toBe(true);
    expect(pem.split('\n').every((line) => line.length <= 64)).toBe(true);
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyType).toBe(keyType);
    expect(key.asymmetricKeyDetails).toMatchObject(details);
  });

  test('an unknown type is a message, not an error', () => {
    expect(funcs().genPrivateKey!('bad')).toBe('Unknown type bad');
  });
});

describe('certificates', () => {
  test('genCAWithKey, genSignedCertWithKey and genSelfSignedCertWithKey make the bytes Go makes', () => {
    const f = funcs(42);
    const ca = f.genCAWithKey!('foo-ca', 365n, RSA_KEY) as GoStruct;
    expect(ca.typeName).toBe('sprig.certificate');
    expect(cert(ca).Cert).toBe(GO_CA_CERT);
    expect(cert(ca).Key).toBe(RSA_KEY);
    const leaf = f.genSignedCertWithKey!('foo.com', ['10.0.0.1', '10.0.0.2'], ['bar.com', 'bat.com'], 365n, ca, ED25519_KEY);
    expect(cert(leaf).Cert).toBe(GO_LEAF_CERT);
    expect(cert(leaf).Key).toBe(ED25519_KEY);
    const self = f.genSelfSignedCertWithKey!('foo.com', ['10.0.0.1', '::1'], ['bar.com'], 30n, ED25519_KEY);
    expect(cert(self).Cert).toBe(GO_SELF_SIGNED_CERT);
  });

  /** The checks of testGenCA / testGenSelfSignedCert / testGenSignedCert, plus validity and verification. */
  function checkCert(pem: string, cn: string, isCA: boolean, days: number, issuer?: string): X509Certificate {
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    expect(pem).toContain('-----END CERTIFICATE-----');
    const c = new X509Certificate(pem);
    expect(c.subject).toBe(`CN=${cn}`);
    expect(c.ca).toBe(isCA);
    expect(BigInt(`0x${c.serialNumber}`) > 0n).toBe(true);
    expect(new Date(c.validFrom).getTime()).toBe(Math.floor(CLOCK.getTime() / 1000) * 1000);
    expect(new Date(c.validTo).getTime() - new Date(c.validFrom).getTime()).toBe(days * 86_400_000);
    expect(c.keyUsage ?? []).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']); // server and client auth
    if (issuer) expect(c.verify(new X509Certificate(issuer).publicKey)).toBe(true);
    else expect(c.verify(c.publicKey)).toBe(true);
    return c;
  }

  test.each([['genCA'], ['ecdsa'], ['ed25519']])('%s makes a CA (TestGenCA, TestGenCAWithKey)', (algo) => {
    const f = funcs();
    const ca = algo === 'genCA' ? f.genCA!('foo-ca', 365n) : f.genCAWithKey!('foo-ca', 365n, f.genPrivateKey!(algo));
    checkCert(cert(ca).Cert, 'foo-ca', true, 365);
  });

  test.each([['genSelfSignedCert'], ['ecdsa'], ['ed25519']])('%s makes a self-signed certificate (TestGenSelfSignedCert[WithKey])', (algo) => {
    const f = funcs();
    const ips = ['10.0.0.1', '10.0.0.2'];
    const dns = ['bar.com', 'bat.com'];
    const out =
      algo === 'genSelfSignedCert' ? f.genSelfSignedCert!('foo.com', ips, dns, 365n) : f.genSelfSignedCertWithKey!('foo.com', ips, dns, 365n, f.genPrivateKey!(algo));
    const c = checkCert(cert(out).Cert, 'foo.com', false, 365);
    expect(c.subjectAltName).toBe('DNS:bar.com, DNS:bat.com, IP Address:10.0.0.1, IP Address:10.0.0.2');
  });

  test.each([
    [undefined, undefined],
    ['ecdsa', 'ecdsa'],
    ['ecdsa', 'ed25519'],
    ['ed25519', 'ecdsa'],
    ['ed25519', 'ed25519'],
  ])('a CA key of %s signs a certificate with a key of %s (TestGenSignedCert[WithKey])', (caAlgo, certAlgo) => {
    const f = funcs();
    const ca = caAlgo ? f.genCAWithKey!('foo', 365n, f.genPrivateKey!(caAlgo)) : f.genCA!('foo', 365n);
    const ips = ['10.0.0.1', '10.0.0.2'];
    const dns = ['bar.com', 'bat.com'];
    const out = certAlgo ? f.genSignedCertWithKey!('foo.com', ips, dns, 365n, ca, f.genPrivateKey!(certAlgo)) : f.genSignedCert!('foo.com', ips, dns, 365n, ca);
    const c = checkCert(cert(out).Cert, 'foo.com', false, 365, cert(ca).Cert);
    expect(c.issuer).toBe('CN=foo');
    expect(c.subjectAltName).toBe('DNS:bar.com, DNS:bat.com, IP Address:10.0.0.1, IP Address:10.0.0.2');
  });

  test('buildCustomCert gives back the certificate it was given (TestBuildCustomCert)', () => {
    const f = funcs();
    const ca = cert(f.genCAWithKey!('example.com', 365n, f.genPrivateKey!('ecdsa')));
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const built = f.buildCustomCert!(b64(ca.Cert), b64(ca.Key)) as GoStruct;
    expect(cert(built)).toEqual(ca);
    expect(() => f.buildCustomCert!(b64('fail'), b64(ca.Key))).toThrow(new GoFuncError('unable to decode certificate'));
  });

  test('nil IP and DNS lists are empty ones', () => {
    const f = funcs();
    const c = new X509Certificate(cert(f.genSelfSignedCertWithKey!('x', null, null, 1n, ED25519_KEY)).Cert);
    expect(c.subjectAltName).toBeUndefined();
  });

  test('a certificate without a common name has a critical alternative-name extension, as Go makes it', () => {
    const pem = cert(funcs().genSelfSignedCertWithKey!('', ['::ffff:1.2.3.4'], ['a.b'], 1n, ED25519_KEY)).Cert;
    const c = new X509Certificate(pem);
    expect(c.subject ?? '').toBe('');
    expect(c.subjectAltName).toBe('DNS:a.b, IP Address:1.2.3.4'); // an IPv4-mapped address is written as IPv4
    const tbs = children(children(readDer(new Uint8Array(c.raw)))[0]!);
    const extensions = children(children(tbs[tbs.length - 1]!)[0]!).map(children);
    const san = extensions.find((e) => readOid(e[0]!) === '2.5.29.17')!;
    expect([...san[1]!.raw]).toEqual([0x01, 0x01, 0xff]); // critical: TRUE
  });
});

describe('certificate errors, as sprig reports them (Go-checked)', () => {
  const f = funcs();
  const ec = f.genPrivateKey!('ecdsa') as string;
  const dsa = f.genPrivateKey!('dsa') as string;
  const ca = f.genCAWithKey!('ca', 10n, ec);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const junkCert = b64('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');

  test.each([
    ['an IP that does not parse', () => f.genSelfSignedCertWithKey!('x', ['1.2.3.4', '01.2.3.4'], null, 3n, ec), 'error parsing ip: 01.2.3.4'],
    ['an IP that is not a string', () => f.genSelfSignedCertWithKey!('x', [1n], null, 3n, ec), 'error parsing ip: 1 is not a string'],
    ['a DNS name that is not a string', () => f.genSelfSignedCertWithKey!('x', null, [1.5], 3n, ec), 'error processing alternate dns name: 1.5 is not a string'],
    ['a DNS name that is not ASCII', () => f.genSelfSignedCertWithKey!('x', null, ['ü.com'], 3n, ec), 'error creating certificate: x509: "ü.com" cannot be encoded as an IA5String'],
    ['a key that is not PEM', () => f.genSelfSignedCertWithKey!('x', null, null, 3n, 'junk'), 'parsing private key: no PEM data in input'],
    ['a DSA key, which cannot sign', () => f.genSelfSignedCertWithKey!('x', null, null, 3n, dsa), 'error creating certificate: x509: certificate private key does not implement crypto.Signer'],
    ['a DSA CA key', () => f.genCAWithKey!('x', 3n, dsa), 'error creating certificate: x509: certificate private key does not implement crypto.Signer'],
    ['a DSA leaf key, which x509 cannot marshal', () => f.genSignedCertWithKey!('x', null, null, 3n, ca, dsa), 'error creating certificate: x509: unsupported public key type: *dsa.PublicKey'],
    ['a PEM block that is not a key', () => f.genCAWithKey!('x', 3n, '-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n'), 'parsing private key: no private key data in PEM block of type FOO'],
    ['an OpenSSH key', () => f.genCAWithKey!('x', 3n, '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'), 'parsing private key: invalid private key type OPENSSH PRIVATE KEY'],
    ['a certificate that is not base64', () => f.buildCustomCert!('Zm9v!', 'YmFy'), 'unable to decode base64 certificate'],
    ['a key that is not base64', () => f.buildCustomCert!('Zm9v', 'YmFy!'), 'unable to decode base64 private key'],
    ['a certificate that is not PEM', () => f.buildCustomCert!('Zm9v', 'YmFy'), 'unable to decode certificate'],
    ['a certificate that is not one', () => f.buildCustomCert!(junkCert, b64(ec)), 'error parsing certificate: decodedCert.Bytes: x509: malformed certificate'],
    ['a key that does not parse', () => f.buildCustomCert!(b64(cert(ca).Cert), b64('nope')), 'error parsing private key: no PEM data in input'],
    ['a CA that is a map, not a certificate', () => f.genSignedCertWithKey!('x', null, null, 3n, { Cert: '', Key: '' }, ec), 'wrong type for value; expected sprig.certificate; got map[string]interface {}'],
  ])('%s', (_what, run, message) => {
    expect(run).toThrow(new GoFuncError(message));
  });

  test('keys come back in sprig\'s PEM forms, whatever form they came in', () => {
    const pkcs8 = createPrivateKey(ec).export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(cert(f.genCAWithKey!('x', 3n, pkcs8)).Key).toBe(ec);
  });
});
