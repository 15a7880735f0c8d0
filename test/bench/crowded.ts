// A crowded namespace: 5,000 ConfigMaps and Secrets that no Canary uses, 200 of them Secrets shaped
// like Helm's release records (~1 MiB each). Perch's watcher and Flagger are each started fresh in
// it, once before the crowd arrives and once after, and measured once they are ready.
import { randomBytes } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { deleteNamespace, freshNamespace, pool } from './cluster';
import { type Bench, round2, sampler } from './context';
import { type Controller, FlaggerController, PerchController } from './controllers';

const NAMESPACE = 'bench-crowded';
export interface Crowd {
  configMaps: number;
  secrets: number;
  helmReleases: number;
  helmReleaseKiB: number;
}
export const CROWD: Crowd = { configMaps: 2_400, secrets: 2_400, helmReleases: 200, helmReleaseKiB: 1024 };
/** How long each freshly started controller is watched before its memory is read. */
const SETTLE_S = 10;

export interface CrowdedSide {
  /** Start → ready (informers listed), s. */
  readyS: number;
  /** Peak RSS over the settle window after ready, MiB. */
  rssMiB: number;
}

export interface CrowdedResult {
  crowd: Crowd;
  /** Perch's watcher and Flagger, each without and with the crowd. */
  watcher: { without: CrowdedSide; with: CrowdedSide };
  flagger: { without: CrowdedSide; with: CrowdedSide };
}

/** Starts each controller fresh, waits until it is ready and reads its peak RSS over the settle window. */
async function measure(b: Bench): Promise<{ watcher: CrowdedSide; flagger: CrowdedSide }> {
  const controllers: Controller[] = [new PerchController(NAMESPACE, b.tools, ['watcher']), new FlaggerController(NAMESPACE, b.tools)];
  const sample = sampler(controllers);
  try {
    const ready = await Promise.all(
      controllers.map(async (c) => {
        const t0 = Date.now();
        await c.start();
        return round2((Date.now() - t0) / 1000);
      }),
    );
    sample.start();
    await new Promise((r) => setTimeout(r, SETTLE_S * 1000)); // a measurement window, not a wait for an outcome
    sample.stop();
    const side = (i: number, role: string) => ({ readyS: ready[i] ?? 0, rssMiB: Math.round(sample.peakRss(role)) });
    return { watcher: side(0, 'watcher'), flagger: side(1, 'flagger') };
  } finally {
    sample.stop();
    for (const c of controllers) await c.stop();
  }
}

async function addCrowd(b: Bench, crowd: Crowd): Promise<void> {
  const core = b.kc.makeApiClient(k8s.CoreV1Api);
  const small = (i: number) => ({ 'config.yaml': `# unrelated settings ${i}\n${'key: value\n'.repeat(40)}` });
  const ids = (count: number) => Array.from({ length: count }, (_, i) => i);
  await pool(ids(crowd.configMaps), 16, async (i) => {
    await core.createNamespacedConfigMap({ namespace: NAMESPACE, body: { metadata: { name: `unrelated-${i}` }, data: small(i) } });
  });
  await pool(ids(crowd.secrets), 16, async (i) => {
    await core.createNamespacedSecret({ namespace: NAMESPACE, body: { metadata: { name: `unrelated-${i}` }, stringData: small(i) } });
  });
  // Helm keeps each release as a Secret of type helm.sh/release.v1 whose `release` is a compressed,
  // encoded record: incompressible bytes, here 3/4 of the size so the base64 text is the full size.
  await pool(ids(crowd.helmReleases), 4, async (i) => {
    const release = randomBytes((crowd.helmReleaseKiB * 1024 * 3) / 4).toString('base64');
    await core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name: `sh.helm.release.v1.app-${i}.v1`, labels: { owner: 'helm', name: `app-${i}`, status: 'deployed', version: '1' } },
        type: 'helm.sh/release.v1',
        data: { release: Buffer.from(release).toString('base64') },
      },
    });
  });
}

/** `crowd`: the bench's (CROWD) unless a smaller one is asked for (the smoke test). */
export async function crowdedScenario(b: Bench, crowd: Crowd = CROWD): Promise<CrowdedResult> {
  await freshNamespace(b.kc, NAMESPACE);
  try {
    b.say('crowded: the watcher and Flagger in an empty namespace');
    const without = await measure(b);
    b.say(`crowded: adding ${crowd.configMaps} ConfigMaps, ${crowd.secrets} Secrets and ${crowd.helmReleases} Helm release Secrets`);
    await addCrowd(b, crowd);
    b.say('crowded: the watcher and Flagger in the crowded namespace');
    const withCrowd = await measure(b);
    return {
      crowd,
      watcher: { without: without.watcher, with: withCrowd.watcher },
      flagger: { without: without.flagger, with: withCrowd.flagger },
    };
  } finally {
    await deleteNamespace(b.kc, NAMESPACE);
  }
}
