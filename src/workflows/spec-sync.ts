// A new generation of the Canary's spec reaches what the Canary owns: the Services and the HTTPProxy
// follow it (Flagger reconciles them every tick), the traffic split stays as it is, and the status
// says which generation the workflow now acts on (status.observedGeneration).
import { long } from './activities';
import { type CanaryRecord } from './record';

export async function syncSpec(record: CanaryRecord): Promise<void> {
  const { settings } = record;
  const canaryUid = record.state.uid ?? '';
  await long().initializePrimary({ settings, canaryUid });
  await long().reconcileRouter({ settings, canaryUid });
  await record.writeStatus();
}
