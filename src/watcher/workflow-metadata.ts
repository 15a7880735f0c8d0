// What the Temporal UI shows for a canary's workflow before anything ran: a one-line summary in the
// workflow list and a Markdown description on its page, both from the Canary's spec.
import { type Canary } from '../api/canary';
import { canarySettings } from '../api/defaults';
import { formatGoDurationMs } from '../rollout/go-format';
import { qualifiedName } from '../rollout/names';
import { type Strategy } from '../rollout/strategy';

export function staticSummary(canary: Canary): string {
  return `Canary ${qualifiedName(canary.metadata)} of Deployment ${canary.spec.targetRef.name}`.slice(0, 200);
}

const STRATEGY_NAMES: Record<Strategy, string> = { canary: 'canary', 'ab-testing': 'A/B testing', 'blue-green': 'blue/green' };

/** The Canary's settings with Flagger's defaults applied: what the workflow will run with. */
export function staticDetails(canary: Canary): string {
  const { analysis: a, strategy } = canarySettings(canary);
  const rows: [string, string][] = [
    ['Target', `Deployment ${canary.spec.targetRef.name}`],
    ['Strategy', STRATEGY_NAMES[strategy]],
    ['Interval', formatGoDurationMs(a.intervalMs)],
    ['Failed checks threshold', String(a.threshold)],
    strategy === 'canary' ? ['Weights', `step ${a.stepWeight || a.stepWeights.join(',')}, max ${a.maxWeight}`] : ['Iterations', String(a.iterations)],
    ['Metrics', a.metrics.map((m) => m.name).join(', ') || 'none'],
    ['Webhooks', a.webhooks.map((w) => `${w.name} (${w.type})`).join(', ') || 'none'],
  ];
  return [
    `## Canary ${qualifiedName(canary.metadata)}`,
    '',
    'One workflow per Canary: it initialises the primary, then rolls out each new revision of the target, ' +
      'one rollout per run (continue-as-new). The live state of the running rollout is under "Current details".',
    '',
    '| Setting | Value |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
  ].join('\n');
}
