/**
 * TLS for the admission webhook: a CA of its own and a serving certificate signed by it, made
 * in TypeScript (@peculiar/x509 on node's webcrypto, ECDSA P-256), kept in a directory or a
 * Secret and reused while valid. The apiserver trusts the webhook through the CA, which goes
 * into the ValidatingWebhookConfiguration's caBundle — as Kyverno's own certificate
 * renewer does (kyverno pkg/tls), but without a controller: a certificate that expires within
 * the renewal window is replaced when the webhook starts.
 */
import { X509Certificate as NodeX509, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { isNotFound, type KubeObject } from '../core/index.js';
import { serverSideApply, type KubeClient } from '../kube/index.js';

/** PEM texts of the webhook's CA and serving certificate. */
export interface WebhookCertificates {
  /** The CA certificate: the webhook configuration's caBundle. */
  caCert: string;
  /** The CA key, kept so the serving certificate can be renewed without changing the caBundle. */
  caKey: string;
  /** The serving certificate. */
  cert: string;
  /** The serving certificate's key (PKCS #8). */
  key: string;
}

/** Options of {@link ensureCertificates}. */
export interface CertificateOptions {
  /** DNS names and IP addresses the serving certificate must carry. @default ['localhost', '127.0.0.1'] */
  hosts?: string[];
  /** Lifetime of a new serving certificate. @default 365 days */
  validityDays?: number;
  /** Lifetime of a new CA. @default 3650 days */
  caValidityDays?: number;
  /** Renew the serving certificate when it expires within this many days. @default 30 */
  renewBeforeDays?: number;
  /** The current time (tests). @default new Date() */
  now?: Date;
}

/** Where certificates are kept between runs. */
export interface CertificateStore {
  /** Where, for messages: a directory path or `secret ns/name`. */
  readonly where: string;
  load(): Promise<WebhookCertificates | undefined>;
  save(certs: WebhookCertificates): Promise<void>;
}

/** What {@link ensureCertificates} did. */
export interface CertificateResult {
  certs: WebhookCertificates;
  /** reused: both were valid; renewed: a new serving certificate from the kept CA; created: a new CA too. */
  action: 'reused' | 'renewed' | 'created';
}

const DAY_MS = 86_400_000;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
let providerSet = false;

/** The serving certificate's host names for a webhook reached by URL and, when given, through a Service. */
export function webhookHosts(service?: { namespace: string; name: string }, extra: string[] = []): string[] {
  const hosts = ['localhost', '127.0.0.1'];
  if (service) {
    const { name, namespace } = service;
    hosts.push(name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`);
  }
  for (const h of extra) if (!hosts.includes(h)) hosts.push(h);
  return hosts;
}

/**
 * Loads the certificates from the store and returns them when they are still good (CA valid, serving
 * certificate signed by it, carrying every host, its key matching, not expiring within the renewal
 * window); otherwise makes what is missing, saves and returns it. A valid CA is kept, so a renewed
 * serving certificate needs no new caBundle.
 */
export async function ensureCertificates(store: CertificateStore, options: CertificateOptions = {}): Promise<CertificateResult> {
  const now = options.now ?? new Date();
  const hosts = options.hosts ?? webhookHosts();
  const renewBefore = (options.renewBeforeDays ?? 30) * DAY_MS;
  const old = await store.load();
  let ca: { cert: string; key: string } | undefined;
  if (old && caUsable(old, now, renewBefore)) {
    if (servingUsable(old, hosts, now, renewBefore)) return { certs: old, action: 'reused' };
    ca = { cert: old.caCert, key: old.caKey };
  }
  const action = ca ? 'renewed' : 'created';
  ca ??= await createCa(now, options.caValidityDays ?? 3650);
  const serving = await createServingCert(ca, hosts, now, options.validityDays ?? 365);
  const certs: WebhookCertificates = { caCert: ca.cert, caKey: ca.key, cert: serving.cert, key: serving.key };
  await store.save(certs);
  return { certs, action };
}

/** A new self-signed CA (PEM certificate and PKCS #8 key). */
export async function createCa(now = new Date(), validityDays = 3650): Promise<{ cert: string; key: string }> {
  useNodeCrypto();
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=slipway-webhook-ca,O=slipway',
    notBefore: new Date(now.getTime() - 60_000), // allow for clock skew between us and the apiserver
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
}

/** A serving certificate for `hosts` (DNS names and IP addresses) signed by `ca`. */
export async function createServingCert(
  ca: { cert: string; key: string },
  hosts: string[],
  now = new Date(),
  validityDays = 365,
): Promise<{ cert: string; key: string }> {
  useNodeCrypto();
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.key), ALG, false, ['sign']);
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names = hosts.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts.find((h) => !isIP(h)) ?? hosts[0] ?? 'slipway-webhook'},O=slipway`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + validityDays * DAY_MS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
}

function caUsable(c: WebhookCertificates, now: Date, renewBefore: number): boolean {
  try {
    const ca = new NodeX509(c.caCert);
    return ca.ca && validFor(ca, now, renewBefore) && ca.checkPrivateKey(createPrivateKey(c.caKey));
  } catch {
    return false; // unreadable: make new ones
  }
}

function servingUsable(c: WebhookCertificates, hosts: string[], now: Date, renewBefore: number): boolean {
  try {
    const ca = new NodeX509(c.caCert);
    const cert = new NodeX509(c.cert);
    if (!validFor(cert, now, renewBefore) || !cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (!cert.checkPrivateKey(createPrivateKey(c.key))) return false;
    return hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h, { wildcards: false }) !== undefined));
  } catch {
    return false;
  }
}

function validFor(cert: NodeX509, now: Date, renewBefore: number): boolean {
  return new Date(cert.validFrom).getTime() <= now.getTime() + 60_000 && new Date(cert.validTo).getTime() - renewBefore > now.getTime();
}

function useNodeCrypto(): void {
  if (!providerSet) {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    providerSet = true;
  }
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive
  return b.toString('hex');
}

async function pemKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Keeps the certificates as files ca.crt, ca.key, tls.crt, tls.key in `dir` (keys mode 0600). */
export function directoryCertificateStore(dir: string): CertificateStore {
  const files = { caCert: 'ca.crt', caKey: 'ca.key', cert: 'tls.crt', key: 'tls.key' } as const;
  return {
    where: dir,
    async load() {
      try {
        const read = (f: string) => readFile(join(dir, f), 'utf8');
        return { caCert: await read(files.caCert), caKey: await read(files.caKey), cert: await read(files.cert), key: await read(files.key) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async save(c) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const [field, file] of Object.entries(files) as [keyof WebhookCertificates, string][]) {
        const secret = field === 'caKey' || field === 'key';
        await writeFile(join(dir, file), c[field], { mode: secret ? 0o600 : 0o644 });
        if (secret) await chmod(join(dir, file), 0o600);
      }
    },
  };
}

/**
 * Keeps the certificates in a Secret of type kubernetes.io/tls (tls.crt, tls.key, ca.crt, and
 * ca.key), written with server-side apply as field manager `slipway-webhook`.
 */
export function secretCertificateStore(client: KubeClient, namespace: string, name: string): CertificateStore {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const text = (s: unknown) => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : undefined);
  return {
    where: `secret ${namespace}/${name}`,
    async load() {
      let secret: KubeObject;
      try {
        secret = await client.request<KubeObject>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
      const data = (secret.data ?? {}) as Record<string, unknown>;
      const [caCert, caKey, cert, key] = ['ca.crt', 'ca.key', 'tls.crt', 'tls.key'].map((k) => text(data[k]));
      return caCert && caKey && cert && key ? { caCert, caKey, cert, key } : undefined;
    },
    async save(c) {
      await serverSideApply(
        client,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'slipway', 'app.kubernetes.io/component': 'policy-webhook' } },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': b64(c.cert), 'tls.key': b64(c.key), 'ca.crt': b64(c.caCert), 'ca.key': b64(c.caKey) },
        },
        { fieldManager: 'slipway-webhook', force: true },
      );
    },
  };
}
