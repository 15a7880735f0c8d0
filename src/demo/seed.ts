// The demo's view of the seed walkthrough: prints the seed's manifests for a namespace (as YAML for
// `kubectl apply -f -`) and the virtual host its traffic goes to. The end-to-end tests apply the
// same objects (seed-manifests.ts): the seed's own, moved to another namespace and host when asked,
// with the tests' short intervals under --fast.
import * as k8s from '@kubernetes/client-node';
import { seedCanary, seedHost, seedManifests, TEST_INTERVALS } from './seed-manifests';

const USAGE = 'usage: node dist/src/demo/seed.js manifests <namespace> [--fast] | host <namespace>';

/** A Kubernetes namespace name (RFC 1123 label), checked here so a typo fails before kubectl. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The seed in apply order (podinfo and its HPA, the Canary, the root HTTPProxy), as YAML. */
export function demoManifests(namespace: string, fast: boolean): string {
  const canary = fast ? seedCanary(TEST_INTERVALS, namespace) : seedManifests('podinfo-canary.yaml', namespace)[0];
  if (!canary) throw new Error('the seed has no Canary');
  const objects = [...seedManifests('podinfo.yaml', namespace), canary, ...seedManifests('podinfo-ingress.yaml', namespace)];
  return objects.map((o) => k8s.dumpYaml(o)).join('---\n');
}

/** Parses the arguments; returns what to print, or throws with the usage on bad input. */
export function run(args: readonly string[]): string {
  const [command, namespace, ...rest] = args;
  if (!namespace || !NAMESPACE.test(namespace)) throw new Error(`${namespace ? `invalid namespace "${namespace}"` : 'missing namespace'}\n${USAGE}`);
  if (command === 'host' && rest.length === 0) return `${seedHost(namespace)}\n`;
  if (command === 'manifests' && (rest.length === 0 || (rest.length === 1 && rest[0] === '--fast'))) {
    return demoManifests(namespace, rest.length === 1);
  }
  throw new Error(USAGE);
}

if (require.main === module) {
  try {
    process.stdout.write(run(process.argv.slice(2)));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}
