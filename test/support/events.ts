// The Kubernetes Events recorded for a Canary, oldest first, as `kubectl describe canary` lists them.
import * as k8s from '@kubernetes/client-node';

export async function canaryEvents(kc: k8s.KubeConfig, namespace: string, name: string): Promise<string[]> {
  const events = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${name}`,
  });
  const time = (e: k8s.CoreV1Event) => new Date(e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? 0).getTime();
  return events.items.sort((a, b) => time(a) - time(b)).map((e) => e.message ?? '');
}

/** Every Event of the Canary with its count: Perch counts a repeated Event on one object (count > 1). */
export async function canaryEventCounts(kc: k8s.KubeConfig, namespace: string, name: string): Promise<Map<string, number>> {
  const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${name}`,
  });
  return new Map(list.items.map((e) => [e.message ?? '', e.count ?? 1]));
}

/** Asserts `expected` appears in `actual` in order (other messages may sit between them). */
export function inOrder(actual: readonly string[], expected: readonly (string | RegExp)[]): string | undefined {
  let i = 0;
  for (const want of expected) {
    while (i < actual.length && !(typeof want === 'string' ? actual[i] === want : want.test(actual[i] ?? ''))) i++;
    if (i === actual.length) return `missing ${String(want)} in order; got:\n  ${actual.join('\n  ')}`;
    i++;
  }
  return undefined;
}
