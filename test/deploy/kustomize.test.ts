// The install manifests as kustomize builds them, checked without the API server: the shape of the
// Deployments, the evaluation Temporal's command line run for real with the pinned `temporal`
// binary, and each Temporal overlay's environment read by Perch's own temporalTarget().
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type * as k8s from '@kubernetes/client-node';
import { httpAddressFromEnv } from '../../src/http/address';
import { temporalTarget } from '../../src/temporal/connection';
import { searchAttributes } from '../../src/workflows/search-attributes';
import { NODE_FLAGS } from '../support/perch';
import { eventually } from '../support/stack';
import { build, find, kustomizations, toolsBin } from './install';

const NAMESPACE = 'perch-system';
const ROLES = { 'perch-worker': 'worker', 'perch-watcher': 'watcher' } as const;
const CONFIG_KEYS = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'PERCH_TASK_QUEUE', 'PERCH_METRICS_SERVER', 'PERCH_HTTP_ADDRESS'];

/** The client's model objects as plain JSON, so deepStrictEqual compares values, not classes. */
const plain = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

function container(d: k8s.V1Deployment): k8s.V1Container {
  const c = d.spec?.template.spec?.containers[0];
  if (!c) throw new Error(`deployment ${d.metadata?.name} has no container`);
  return c;
}

/** The ConfigMap a container's envFrom names, from the same build (its name carries kustomize's hash). */
function configFor(objects: readonly k8s.KubernetesObject[], c: k8s.V1Container): Record<string, string> {
  const name = c.envFrom?.[0]?.configMapRef?.name ?? '';
  return find<k8s.V1ConfigMap>(objects, 'ConfigMap', name).data ?? {};
}

describe('install manifests (kustomize builds)', () => {
  for (const dir of kustomizations()) {
    it(`${dir}: worker and watcher Deployments as documented`, () => {
      const objects = build(dir);
      for (const o of objects) {
        const clusterScoped = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind ?? '');
        assert.equal(o.metadata?.namespace, clusterScoped ? undefined : NAMESPACE, `${o.kind} ${o.metadata?.name} namespace`);
      }
      const binding = find<k8s.V1ClusterRoleBinding>(objects, 'ClusterRoleBinding', 'perch');
      assert.deepEqual(plain(binding.subjects), [{ kind: 'ServiceAccount', name: 'perch', namespace: NAMESPACE }]);
      assert.deepEqual(plain(binding.roleRef), { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'perch' });
      find(objects, 'ServiceAccount', 'perch');
      for (const [name, role] of Object.entries(ROLES)) {
        const d = find<k8s.V1Deployment>(objects, 'Deployment', name);
        const pod = d.spec?.template.spec;
        const c = container(d);
        assert.equal(c.image, 'perch:0.1.0');
        assert.deepEqual(plain(c.command), ['node', ...NODE_FLAGS[role], `dist/src/${role}.js`]);
        assert.equal(pod?.serviceAccountName, 'perch');
        assert.equal(pod?.terminationGracePeriodSeconds, 60);
        assert.equal(pod?.securityContext?.runAsNonRoot, true);
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true);
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
        assert.deepEqual(plain(c.securityContext?.capabilities?.drop), ['ALL']);
        assert.ok(c.resources?.requests?.cpu && c.resources.requests.memory && c.resources.limits?.memory, `${name} requests and limits`);
        const config = configFor(objects, c);
        for (const key of CONFIG_KEYS) assert.ok(config[key], `${name}: ${key} in ${c.envFrom?.[0]?.configMapRef?.name}`);
        // The probes reach the port Perch's own parser reads from PERCH_HTTP_ADDRESS.
        const port = c.ports?.find((p) => p.name === 'http')?.containerPort;
        assert.equal(httpAddressFromEnv({ PERCH_HTTP_ADDRESS: config.PERCH_HTTP_ADDRESS })?.port, port);
        assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
        assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
        assert.equal(c.livenessProbe?.httpGet?.port, 'http');
        assert.equal(c.readinessProbe?.httpGet?.port, 'http');
      }
      // CRDs only in the plain install; the overlays take them from deploy/crds separately.
      const crds = objects
        .filter((o) => o.kind === 'CustomResourceDefinition')
        .map((o) => o.metadata?.name)
        .sort();
      assert.deepEqual(crds, dir === 'deploy' ? ['alertproviders.flagger.app', 'canaries.flagger.app', 'metrictemplates.flagger.app'] : []);
    });
  }

  describe('evaluation overlay', () => {
    const objects = build('deploy/overlays/evaluation');
    const temporal = find<k8s.V1Deployment>(objects, 'Deployment', 'temporal');
    let server: ChildProcess | undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'perch-eval-temporal-'));
    after(() => {
      server?.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('points Perch at the in-cluster Temporal Service', () => {
      const service = find<k8s.V1Service>(objects, 'Service', 'temporal');
      const grpc = service.spec?.ports?.find((p) => p.name === 'grpc');
      const config = configFor(objects, container(find(objects, 'Deployment', 'perch-worker')));
      assert.equal(config.TEMPORAL_ADDRESS, `temporal.${NAMESPACE}.svc.cluster.local:${grpc?.port}`);
      assert.deepEqual(plain(service.spec?.selector), plain(temporal.spec?.selector?.matchLabels));
    });

    it("its Temporal command line starts a dev server with exactly Perch's search attributes", async () => {
      // The manifest's arguments, run by the same CLI version, on loopback with free ports.
      const [grpc, ui, http, metrics] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
      const args = (container(temporal).args ?? []).map((a) =>
        a.replace(/^--ip=.*/, '--ip=127.0.0.1').replace(/^--db-filename=.*/, `--db-filename=${join(dataDir, 'temporal.db')}`),
      );
      assert.ok(args.includes('--ip=127.0.0.1') && args.some((a) => a.startsWith('--db-filename=')), `unexpected args ${args.join(' ')}`);
      server = spawn(
        join(toolsBin, 'temporal'),
        [...args, `--port=${grpc}`, `--ui-port=${ui}`, `--http-port=${http}`, `--metrics-port=${metrics}`, '--headless', '--log-level=error'],
        { stdio: 'ignore' },
      );
      const address = `127.0.0.1:${grpc}`;
      const listed = await eventually('dev server answering', 60_000, () => {
        try {
          const out = execFileSync(join(toolsBin, 'temporal'), ['operator', 'search-attribute', 'list', '--address', address, '-o', 'json'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          });
          return Promise.resolve(JSON.parse(out) as { customAttributes: Record<string, string> });
        } catch {
          return Promise.resolve(undefined);
        }
      });
      const wanted = Object.fromEntries(Object.values(searchAttributes).map((k) => [k.name, `INDEXED_VALUE_TYPE_${k.type}`]));
      assert.deepEqual(listed.customAttributes, wanted);
    });
  });

  describe('Temporal overlays, read by temporalTarget()', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'perch-temporal-env-'));
    after(() => rmSync(scratch, { recursive: true, force: true }));

    /**
     * The worker container's environment as the kubelet would give it: the ConfigMap, then `env`
     * (a Secret's value is `secret:<name>/<key>`), with each mounted Secret's folder replaced by a
     * scratch folder holding `<key>` files whose content is `<secret>/<key>`.
     */
    function containerEnv(dir: string, secretKeys: Record<string, string[]>): NodeJS.ProcessEnv {
      const objects = build(dir);
      const d = find<k8s.V1Deployment>(objects, 'Deployment', 'perch-worker');
      const c = container(d);
      const env: Record<string, string> = { ...configFor(objects, c) };
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        env[e.name] = ref ? `secret:${ref.name}/${ref.key}` : (e.value ?? '');
      }
      for (const mount of c.volumeMounts ?? []) {
        const secret = d.spec?.template.spec?.volumes?.find((v) => v.name === mount.name)?.secret?.secretName;
        if (!secret) continue;
        const local = join(scratch, dir.replace(/\W/g, '_'), mount.name);
        mkdirSync(local, { recursive: true });
        for (const key of secretKeys[secret] ?? []) writeFileSync(join(local, key), `${secret}/${key}`);
        for (const [k, v] of Object.entries(env)) if (v.startsWith(`${mount.mountPath}/`)) env[k] = local + v.slice(mount.mountPath.length);
      }
      return env; // no HOME: no temporal.toml of the machine running the test is read
    }

    it('temporal-mtls: the client certificate and key from the mounted Secret', () => {
      const env = containerEnv('deploy/overlays/temporal-mtls', { 'perch-temporal-tls': ['tls.crt', 'tls.key'] });
      const target = temporalTarget(env);
      assert.equal(target.address, env.TEMPORAL_ADDRESS);
      assert.equal(target.namespace, env.TEMPORAL_NAMESPACE);
      const tls = target.connectionOptions.tls;
      assert.ok(tls && typeof tls === 'object', 'TLS configured');
      assert.equal(Buffer.from(tls.clientCertPair?.crt ?? []).toString(), 'perch-temporal-tls/tls.crt');
      assert.equal(Buffer.from(tls.clientCertPair?.key ?? []).toString(), 'perch-temporal-tls/tls.key');
      assert.equal(target.connectionOptions.apiKey, undefined);
    });

    it('temporal-api-key: the API key from the Secret, TLS on', () => {
      const env = containerEnv('deploy/overlays/temporal-api-key', {});
      const target = temporalTarget(env);
      assert.equal(target.address, env.TEMPORAL_ADDRESS);
      assert.equal(target.namespace, env.TEMPORAL_NAMESPACE);
      assert.equal(target.connectionOptions.apiKey, 'secret:perch-temporal-api-key/api-key');
      assert.equal(target.connectionOptions.tls, true);
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
