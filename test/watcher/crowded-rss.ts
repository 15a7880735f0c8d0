// A measurement, not a test: the watcher's resident memory on the local stack with and without a
// crowd of ConfigMaps and Secrets that no Canary uses (issue 12's "crowded cluster"). It fills one
// namespace with 4,800 small objects and 200 Helm-release-like Secrets of about 1 MB, starts each
// watcher given (watching every namespace) before and after, and prints its RSS once ready.
//
//   node dist/test/watcher/crowded-rss.js [watcher.js ...] [--keep]
//
// The watcher defaults to this checkout's dist/src/watcher.js; pass several builds' to compare them
// on the same crowd. `--keep` leaves the crowd in place (and reuses one left by an earlier run).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { eventually, kubeConfig, stack } from '../support/stack';

const CROWD = 'crowd';
const SMALL = 4_800;
const HELM = 200;
const HELM_BYTES = 750 * 1024; // base64 in `data` makes it ~1 MB, as a large Helm release

interface Sample {
  rssMiB: number;
  peakMiB: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const given = args.filter((a) => !a.startsWith('--'));
  const scripts = given.length > 0 ? given : [join(__dirname, '..', '..', 'src', 'watcher.js')];
  const kc = kubeConfig();
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const present = await core.readNamespace({ name: CROWD }).then(
    () => true,
    () => false,
  );
  if (present && !keep) throw new Error(`namespace ${CROWD} exists: delete it, or pass --keep to measure with it`);

  const without: (Sample | undefined)[] = [];
  for (const script of scripts) without.push(present ? undefined : await measure(script, `${script} without the crowd`));
  if (!present) await fill(core);
  for (const [i, script] of scripts.entries()) {
    console.log(JSON.stringify({ script, without: without[i], with: await measure(script, `${script} with the crowd`) }));
  }
  if (!keep) await core.deleteNamespace({ name: CROWD });
}

async function fill(core: k8s.CoreV1Api): Promise<void> {
  await core.createNamespace({ body: { metadata: { name: CROWD } } });
  const started = Date.now();
  const jobs: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < SMALL; i += 1) {
    const data = { 'app.properties': `key-${i}=${randomBytes(256).toString('hex')}` };
    jobs.push(
      i % 2 === 0
        ? () => core.createNamespacedConfigMap({ namespace: CROWD, body: { metadata: { name: `cm-${i}` }, data } })
        : () => core.createNamespacedSecret({ namespace: CROWD, body: { metadata: { name: `secret-${i}` }, stringData: data } }),
    );
  }
  for (let i = 0; i < HELM; i += 1) {
    const name = `release-${i}`;
    jobs.push(() =>
      core.createNamespacedSecret({
        namespace: CROWD,
        body: {
          metadata: { name: `sh.helm.release.v1.${name}.v1`, labels: { name, owner: 'helm', status: 'deployed', version: '1' } },
          type: 'helm.sh/release.v1',
          data: { release: randomBytes(HELM_BYTES).toString('base64') },
        },
      }),
    );
  }
  // Eight at a time: the stack's apiserver and etcd share two cores with everything else.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < jobs.length) await jobs[next++]?.();
    }),
  );
  console.error(`created ${SMALL} small objects and ${HELM} ~1 MB Secrets in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Starts the watcher, waits until /readyz answers 200, samples its RSS for 10 s, stops it. */
async function measure(script: string, label: string): Promise<Sample> {
  const s = stack();
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const child = spawn(process.execPath, [script], {
    env: {
      ...process.env,
      KUBECONFIG: s.kubeconfig,
      TEMPORAL_ADDRESS: s.temporal,
      PERCH_TASK_QUEUE: 'perch-crowded-rss',
      PERCH_WATCH_NAMESPACE: '',
      PERCH_HTTP_ADDRESS: `127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const began = Date.now();
    await eventually(`${label}: watcher ready`, 300_000, async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok ? true : undefined));
    const readyAfter = Date.now() - began;
    let rss = 0;
    for (let i = 0; i < 10; i += 1) {
      await new Promise((r) => setTimeout(r, 1000));
      rss = status(child.pid ?? 0, 'VmRSS');
    }
    const sample = { rssMiB: rss, peakMiB: status(child.pid ?? 0, 'VmHWM') };
    console.error(`${label}: ready after ${readyAfter} ms, RSS ${sample.rssMiB} MiB (peak ${sample.peakMiB} MiB)`);
    return sample;
  } finally {
    child.kill('SIGTERM');
  }
}

/** A /proc/<pid>/status field in MiB. */
function status(pid: number, field: string): number {
  const line =
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`)) ?? '';
  return Math.round(Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
