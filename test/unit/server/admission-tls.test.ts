import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { directoryCertificateStore, ensureCertificates, webhookHosts, type CertificateStore, type WebhookCertificates } from '../../../src/server/tls.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'slipway-certs-'));
  dirs.push(d);
  return d;
}

function memoryStore(): CertificateStore & { saved: number } {
  let kept: WebhookCertificates | undefined;
  const store = {
    where: 'memory',
    saved: 0,
    load: async () => kept,
    save: async (c: WebhookCertificates) => {
      kept = c;
      store.saved++;
    },
  };
  return store;
}

describe('webhook certificates', () => {
  test('a new CA and serving certificate carry the hosts, chain to the CA and serve TLS a client verifies', async () => {
    const hosts = webhookHosts({ namespace: 'slipway-system', name: 'slipway-webhook' });
    expect(hosts).toEqual([
      'localhost',
      '127.0.0.1',
      'slipway-webhook',
      'slipway-webhook.slipway-system',
      'slipway-webhook.slipway-system.svc',
      'slipway-webhook.slipway-system.svc.cluster.local',
    ]);
    const { certs, action } = await ensureCertificates(memoryStore(), { hosts });
    expect(action).toBe('created');
    const ca = new X509Certificate(certs.caCert);
    const cert = new X509Certificate(certs.cert);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, DNS:slipway-webhook, DNS:slipway-webhook.slipway-system, DNS:slipway-webhook.slipway-system.svc, DNS:slipway-webhook.slipway-system.svc.cluster.local',
    );
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth

    const server = createServer({ cert: certs.cert, key: certs.key }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const body = await new Promise<string>((resolve, reject) => {
          request({ host, port, path: '/', ca: certs.caCert, servername: host === 'localhost' ? 'localhost' : undefined }, (res) => {
            let t = '';
            res.on('data', (c: Buffer) => (t += c.toString()));
            res.on('end', () => resolve(t));
          })
            .on('error', reject)
            .end();
        });
        expect(body).toBe('ok');
      }
      // Another CA is not trusted.
      const other = (await ensureCertificates(memoryStore())).certs;
      await expect(
        new Promise((resolve, reject) => request({ host: '127.0.0.1', port, path: '/', ca: other.caCert }, resolve).on('error', reject).end()),
      ).rejects.toThrow(/self-signed|unable to verify|signature/i);
    } finally {
      server.close();
    }
  });

  test('valid certificates are reused; a certificate near its end, or missing a host, is renewed from the same CA', async () => {
    const store = memoryStore();
    const first = await ensureCertificates(store);
    expect((await ensureCertificates(store)).action).toBe('reused');
    expect(store.saved).toBe(1);

    const in340Days = new Date(Date.now() + 340 * 86_400_000); // inside the 30-day renewal window of a 365-day certificate
    const renewed = await ensureCertificates(store, { now: in340Days });
    expect(renewed.action).toBe('renewed');
    expect(renewed.certs.caCert).toBe(first.certs.caCert); // the caBundle stays valid
    expect(renewed.certs.cert).not.toBe(first.certs.cert);

    const more = await ensureCertificates(store, { hosts: ['localhost', '127.0.0.1', 'webhook.example'] });
    expect(more.action).toBe('renewed');
    expect(new X509Certificate(more.certs.cert).subjectAltName).toContain('DNS:webhook.example');

    const in11Years = new Date(Date.now() + 11 * 365 * 86_400_000);
    const fresh = await ensureCertificates(store, { now: in11Years });
    expect(fresh.action).toBe('created');
    expect(fresh.certs.caCert).not.toBe(first.certs.caCert);
  });

  test('a damaged store is replaced, not trusted', async () => {
    const store = memoryStore();
    const { certs } = await ensureCertificates(store);
    await store.save({ ...certs, key: (await ensureCertificates(memoryStore())).certs.key }); // key of another certificate
    expect((await ensureCertificates(store)).action).toBe('renewed');
    await store.save({ ...certs, caCert: 'garbage' });
    expect((await ensureCertificates(store)).action).toBe('created');
  });

  test('the directory store keeps four PEM files, keys readable by the owner only', async () => {
    const dir = join(tempDir(), 'certs');
    const store = directoryCertificateStore(dir);
    expect(await store.load()).toBeUndefined();
    const { certs } = await ensureCertificates(store);
    expect(await store.load()).toEqual(certs);
    expect(statSync(join(dir, 'tls.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ca.crt')).mode & 0o777).toBe(0o644);
    expect((await ensureCertificates(directoryCertificateStore(dir))).action).toBe('reused');
  });
});
