// Perch's Helm chart as the deploy tests see it: the pinned helm (scripts/install/chart-tools.sh),
// run with config and cache folders of its own, rendering charts/perch or installing it into the
// local stack.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { perchCache, pinned, repoRoot, type Run, toolsBin } from './install';

export const chartDir = join(repoRoot, 'charts', 'perch');

/** Chart values, as a values file would hold them. */
export type Values = Record<string, unknown>;

/** Helm's config, cache and data folders, and the values files: one scratch folder per process. */
const scratch = mkdtempSync(join(tmpdir(), 'perch-helm-'));
let valuesFiles = 0;

export function helmPath(): string {
  const path = join(toolsBin, 'helm');
  if (!existsSync(path)) throw new Error(`no helm at ${path}: run ./scripts/install.sh`);
  return path;
}

/** helm, with `kubeconfig` for the commands that talk to a cluster. */
export function helm(args: readonly string[], opts: { kubeconfig?: string } = {}): Run {
  const r = spawnSync(helmPath(), args, {
    encoding: 'utf8',
    timeout: 300_000,
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      HELM_CONFIG_HOME: join(scratch, 'config'),
      HELM_CACHE_HOME: join(scratch, 'cache'),
      HELM_DATA_HOME: join(scratch, 'data'),
      ...(opts.kubeconfig ? { KUBECONFIG: opts.kubeconfig } : {}),
    },
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function helmOk(args: readonly string[], opts: { kubeconfig?: string } = {}): string {
  const r = helm(args, opts);
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** The Prometheus Operator's ServiceMonitor and PodMonitor CRDs (scripts/install/chart-tools.sh). */
export function monitoringCrds(): string {
  const path = join(perchCache, `prometheus-operator-crds-${pinned('PROMETHEUS_OPERATOR_VERSION')}.yaml`);
  if (!existsSync(path)) throw new Error(`no ${path}: run ./scripts/install.sh`);
  return path;
}

/** A values file holding `values` (JSON is YAML), for `-f`. */
export function valuesFile(values: Values): string {
  const path = join(scratch, `values-${++valuesFiles}.json`);
  writeFileSync(path, JSON.stringify(values));
  return path;
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** With the CRDs of charts/perch/crds, which `helm install` applies first (`--include-crds`). */
  crds?: boolean;
}

/** `helm template` of charts/perch: release `perch` in perch-system unless told otherwise. */
export function renderYaml(values: Values = {}, opts: RenderOptions = {}): string {
  return helmOk([
    'template',
    opts.release ?? 'perch',
    chartDir,
    '--namespace',
    opts.namespace ?? 'perch-system',
    '-f',
    valuesFile(values),
    ...(opts.crds ? ['--include-crds'] : []),
  ]);
}

/**
 * Every option of the chart on: Perch serving `watchNamespace` with its RBAC there and in
 * `extraNamespace`, mTLS and an API key, monitors, the dashboard, scheduling constraints.
 */
export function everyOption(watchNamespace: string, extraNamespace: string): Values {
  return {
    image: { repository: 'registry.example.com/perch', tag: '9.9.9', pullPolicy: 'Always' },
    imagePullSecrets: [{ name: 'registry-credentials' }],
    config: {
      PERCH_WATCH_NAMESPACE: watchNamespace,
      PERCH_INGRESS_CLASS: 'contour',
      PERCH_DEFAULT_ALERT_PROVIDER: `${extraNamespace}/chat`,
      PERCH_EVENT_WEBHOOK_URL: 'http://events.example.com/',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/etc/perch/temporal-tls/ca.crt',
    },
    temporal: { tlsSecret: 'perch-temporal-tls', apiKeySecret: 'perch-temporal-api-key' },
    rbac: { extraNamespaces: [extraNamespace] },
    worker: { replicas: 2, resources: { requests: { cpu: '200m', memory: '300Mi' }, limits: { memory: '1Gi' } } },
    watcher: { replicas: 1, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '1Gi' } } },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'platform', effect: 'NoSchedule' }],
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: { matchExpressions: [{ key: 'pool', operator: 'In', values: ['platform'] }] } },
        ],
      },
    },
    serviceMonitor: { enabled: true, interval: '15s', labels: { release: 'kube-prometheus-stack' } },
    podMonitor: { enabled: true, interval: '15s', labels: { release: 'kube-prometheus-stack' } },
    grafanaDashboard: { enabled: true, annotations: { grafana_folder: 'Perch' } },
  };
}
