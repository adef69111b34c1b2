import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
  /** The certificate's file: give it to a spawned server as NODE_EXTRA_CA_CERTS. */
  certPath: string;
  remove(): void;
}

/**
 * A self-signed certificate made now with the openssl CLI, for a local HTTPS stand-in.
 * `altNames` are subjectAltName entries: `IP:127.0.0.1`, `DNS:fcm.googleapis.com`.
 */
export function createTestCertificate(altNames: string[]): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'rally-cert-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=rally-test', '-addext', `subjectAltName=${altNames.join(',')}`],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
