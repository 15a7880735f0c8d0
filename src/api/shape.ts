// The JSON types of the fields validation and defaults read, checked before their meaning: a value
// of the wrong type (which the CRD schema refuses, but a dry run or another client may hand over)
// is named instead of crashing a check written for the right one.

type Kind = 'string' | 'number' | 'boolean' | 'string-map' | 'int-or-string';
/** A field's type: a kind, an object's fields, or `[shape]` for a list of that shape. */
export type Shape = Kind | { readonly [field: string]: Shape } | readonly [Shape];

const ref: Shape = { apiVersion: 'string', kind: 'string', name: 'string', namespace: 'string' };
const stringMatch: Shape = { exact: 'string', prefix: 'string', suffix: 'string', regex: 'string' };
const metadata: Shape = { labels: 'string-map', annotations: 'string-map' };

const analysis: Shape = {
  interval: 'string',
  threshold: 'number',
  iterations: 'number',
  maxWeight: 'number',
  stepWeight: 'number',
  stepWeights: ['number'],
  stepWeightPromotion: 'number',
  mirror: 'boolean',
  mirrorWeight: 'number',
  primaryReadyThreshold: 'number',
  canaryReadyThreshold: 'number',
  match: [{ sourceLabels: 'string-map' }],
  metrics: [
    {
      name: 'string',
      interval: 'string',
      threshold: 'number',
      thresholdRange: { min: 'number', max: 'number' },
      query: 'string',
      templateRef: { name: 'string', namespace: 'string' },
      templateVariables: 'string-map',
      noData: 'string',
    },
  ],
  webhooks: [
    {
      name: 'string',
      type: 'string',
      url: 'string',
      timeout: 'string',
      metadata: 'string-map',
      muteAlert: 'boolean',
      retries: 'number',
      disableTLS: 'boolean',
    },
  ],
  alerts: [{ name: 'string', severity: 'string', providerRef: { name: 'string', namespace: 'string' } }],
  sessionAffinity: { cookieName: 'string', primaryCookieName: 'string', domain: 'string', path: 'string', maxAge: 'number' },
};

export const CANARY_SPEC_SHAPE: Shape = {
  provider: 'string',
  metricsServer: 'string',
  progressDeadlineSeconds: 'number',
  skipAnalysis: 'boolean',
  suspend: 'boolean',
  revertOnDeletion: 'boolean',
  targetRef: ref,
  autoscalerRef: ref,
  ingressRef: ref,
  routeRef: ref,
  service: {
    name: 'string',
    port: 'number',
    portName: 'string',
    targetPort: 'int-or-string',
    appProtocol: 'string',
    trafficDistribution: 'string',
    portDiscovery: 'boolean',
    headless: 'boolean',
    timeout: 'string',
    retries: { attempts: 'number', perTryTimeout: 'string', retryOn: 'string' },
    match: [{ uri: stringMatch }],
    apex: metadata,
    primary: metadata,
    canary: metadata,
    unmanagedMetadata: { labels: ['string'], annotations: ['string'] },
  },
  analysis,
  canaryAnalysis: analysis,
};

export const METRIC_TEMPLATE_SPEC_SHAPE: Shape = {
  provider: { type: 'string', address: 'string', secretRef: { name: 'string' }, region: 'string', insecureSkipVerify: 'boolean' },
  query: 'string',
};

export const ALERT_PROVIDER_SPEC_SHAPE: Shape = {
  type: 'string',
  channel: 'string',
  username: 'string',
  address: 'string',
  proxy: 'string',
  secretRef: { name: 'string' },
};

/** Each field of `value` under `path` whose JSON type is not the one `shape` says; absent fields are fine. */
export function shapeProblems(shape: Shape, value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (typeof shape === 'string') return kindOk(shape, value) ? [] : [`${path} must be ${describe(shape)}, got ${preview(value)}`];
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path} must be a list, got ${preview(value)}`];
    const item = shape[0] as Shape;
    return value.flatMap((v, i) => shapeProblems(item, v, `${path}[${i}]`));
  }
  if (!isObject(value)) return [`${path} must be an object, got ${preview(value)}`];
  return Object.entries(shape as Record<string, Shape>).flatMap(([field, sub]) => shapeProblems(sub, value[field], `${path}.${field}`));
}

function kindOk(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string-map':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
    case 'int-or-string':
      return typeof value === 'string' || Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === kind;
  }
}

function describe(kind: Kind): string {
  if (kind === 'string-map') return 'a map of strings';
  if (kind === 'int-or-string') return 'a whole number or a string';
  return `a ${kind}`;
}

/** A short rendering of a value for a message: never the whole of a huge or deeply nested one. */
function preview(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
