// The gates of the stack's Flagger load tester, as an operator opens and closes them. Gates live in
// the load tester's memory, keyed by the Canary's name.namespace (closed until opened), so a test
// file that uses its own namespace has gates of its own.
import { httpRequest } from './http';
import { stack } from './stack';

/** The load tester's in-cluster address, as the seed's webhooks name it (the cluster proxy maps it). */
export const LOADTESTER_URL = 'http://flagger-loadtester.test';

/** URLs for a Canary's webhooks: the approval gate and the manual rollback gate. */
export const gateCheckUrl = `${LOADTESTER_URL}/gate/check`;
export const rollbackCheckUrl = `${LOADTESTER_URL}/rollback/check`;

type Switch = 'gate/open' | 'gate/close' | 'rollback/open' | 'rollback/close';

async function flip(path: Switch, name: string, namespace: string): Promise<void> {
  const reply = await httpRequest(`${stack().loadtester}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, namespace }),
  });
  if (reply.status !== 202) throw new Error(`load tester /${path} for ${name}.${namespace} answered ${reply.status}: ${reply.body}`);
}

export const openGate = (name: string, namespace: string): Promise<void> => flip('gate/open', name, namespace);
export const closeGate = (name: string, namespace: string): Promise<void> => flip('gate/close', name, namespace);
export const openRollback = (name: string, namespace: string): Promise<void> => flip('rollback/open', name, namespace);
export const closeRollback = (name: string, namespace: string): Promise<void> => flip('rollback/close', name, namespace);
