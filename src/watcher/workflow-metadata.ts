// What the Temporal UI shows for a canary's workflow before anything ran: a one-line summary in the
// workflow list and a Markdown description on its page, both from the Canary's spec.
import { type Canary } from '../api/canary';

export function staticSummary(canary: Canary): string {
  const { namespace, name } = canary.metadata;
  return `Canary ${name ?? ''}.${namespace ?? ''} of Deployment ${canary.spec.targetRef.name}`.slice(0, 200);
}

export function staticDetails(canary: Canary): string {
  const a = canary.spec.analysis;
  const strategy =
    a?.match !== undefined && a.match.length > 0 ? 'A/B testing' : a?.iterations !== undefined && a.iterations > 0 ? 'blue/green' : 'canary';
  const rows: [string, string][] = [
    ['Target', `Deployment ${canary.spec.targetRef.name}`],
    ['Strategy', strategy],
    ['Interval', a?.interval ?? '1m'],
    ['Failed checks threshold', String(a?.threshold ?? 1)],
    ...(strategy === 'canary'
      ? [['Weights', `step ${a?.stepWeight ?? (a?.stepWeights ?? []).join(',')}, max ${a?.maxWeight ?? 100}`] as [string, string]]
      : [['Iterations', String(a?.iterations ?? 0)] as [string, string]]),
    ['Metrics', (a?.metrics ?? []).map((m) => m.name).join(', ') || 'none'],
    ['Webhooks', (a?.webhooks ?? []).map((w) => `${w.name} (${w.type ?? 'rollout'})`).join(', ') || 'none'],
  ];
  return [
    `## Canary ${canary.metadata.name ?? ''}.${canary.metadata.namespace ?? ''}`,
    '',
    'One workflow per Canary: it initialises the primary, then rolls out each new revision of the target, ' +
      'one rollout per run (continue-as-new). The live state of the running rollout is under "Current details".',
    '',
    '| Setting | Value |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
  ].join('\n');
}
