// Flagger's MetricTemplate (flagger.app/v1beta1): a metrics provider plus a Go text/template query
// that Canary metrics reference through `templateRef`.
import { type ObjectMeta } from './canary';

export const METRIC_TEMPLATE_KIND = 'MetricTemplate';
export const METRIC_TEMPLATE_PLURAL = 'metrictemplates';

export const METRIC_PROVIDER_TYPES = [
  'prometheus',
  'influxdb',
  'datadog',
  'externalmetrics',
  'stackdriver',
  'cloudwatch',
  'newrelic',
  'graphite',
  'dynatrace',
  'keptn',
  'splunk',
] as const;
export type MetricProviderType = (typeof METRIC_PROVIDER_TYPES)[number];

/** The provider types Perch can query today. */
export const SUPPORTED_METRIC_PROVIDER_TYPES: readonly MetricProviderType[] = ['prometheus'];

export interface MetricProvider {
  type: MetricProviderType;
  address?: string;
  /** Extra HTTP headers; each header may repeat. */
  headers?: Record<string, string[]>;
  /** Secret in the template's namespace; Prometheus reads keys `token` or `username` + `password`. */
  secretRef?: { name: string };
  region?: string;
  insecureSkipVerify?: boolean;
}

export interface MetricTemplateSpec {
  provider: MetricProvider;
  query: string;
}

export interface MetricTemplate {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: MetricTemplateSpec;
}
