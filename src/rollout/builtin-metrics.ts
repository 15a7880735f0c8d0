// The built-in Contour checks, with Flagger's exact PromQL (pkg/metrics/observers/contour.go), so a
// Canary judged by Flagger is judged by the same numbers here. Pure: rendering only.

export const BUILTIN_METRICS = ['request-success-rate', 'request-duration'] as const;
export type BuiltinMetric = (typeof BUILTIN_METRICS)[number];

export interface QueryContext {
  namespace: string;
  /** spec.service.name, or the target's name. */
  service: string;
  /** The metric's interval as written in the Canary, e.g. "1m". */
  interval: string;
}

export function isBuiltinMetric(name: string): name is BuiltinMetric {
  return (BUILTIN_METRICS as readonly string[]).includes(name);
}

/** Renders a built-in query, whitespace collapsed as Flagger sends it. */
export function builtinQuery(metric: BuiltinMetric, ctx: QueryContext): string {
  const cluster = `envoy_cluster_name=~"${ctx.namespace}_${ctx.service}-canary_[0-9a-zA-Z-]+"`;
  const query =
    metric === 'request-success-rate'
      ? `sum(rate(envoy_cluster_upstream_rq{${cluster}, envoy_response_code!~"5.*"}[${ctx.interval}]))
       / sum(rate(envoy_cluster_upstream_rq{${cluster}, }[${ctx.interval}])) * 100`
      : `histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{${cluster}, }[${ctx.interval}])) by (le))`;
  return query.replace(/\s+/g, ' ');
}
