// Envoy's upstream statistics, under the exact names Envoy exposes at /stats/prometheus, so PromQL
// written for a real Contour runs unchanged against the simulator. Cluster names follow Contour's
// alt_stat_name: <namespace>_<service>_<service port>.

// Envoy's default histogram buckets, in milliseconds.
const BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

interface ClusterStats {
  byCode: Map<number, number>;
  buckets: number[];
  sumMs: number;
  count: number;
}

export class EnvoyStats {
  private readonly clusters = new Map<string, ClusterStats>();

  static clusterName(namespace: string, service: string, port: number): string {
    return `${namespace}_${service}_${port}`;
  }

  /** Records one upstream request: its response code and its time in milliseconds. */
  record(cluster: string, code: number, timeMs: number): void {
    let c = this.clusters.get(cluster);
    if (!c) {
      c = { byCode: new Map(), buckets: BUCKETS_MS.map(() => 0), sumMs: 0, count: 0 };
      this.clusters.set(cluster, c);
    }
    c.byCode.set(code, (c.byCode.get(code) ?? 0) + 1);
    BUCKETS_MS.forEach((le, i) => {
      if (timeMs <= le) c.buckets[i] = (c.buckets[i] ?? 0) + 1;
    });
    c.sumMs += timeMs;
    c.count += 1;
  }

  /** The Prometheus text exposition, cumulative since start, as Envoy serves it. */
  render(): string {
    const rq: string[] = [],
      xx: string[] = [],
      total: string[] = [],
      time: string[] = [];
    for (const [name, c] of [...this.clusters].sort(([a], [b]) => a.localeCompare(b))) {
      const byClass = new Map<number, number>();
      for (const [code, n] of [...c.byCode].sort(([a], [b]) => a - b)) {
        rq.push(`envoy_cluster_upstream_rq{envoy_response_code="${code}",envoy_cluster_name="${name}"} ${n}`);
        const cls = Math.floor(code / 100);
        byClass.set(cls, (byClass.get(cls) ?? 0) + n);
      }
      for (const [cls, n] of [...byClass].sort(([a], [b]) => a - b)) {
        xx.push(`envoy_cluster_upstream_rq_xx{envoy_response_code_class="${cls}",envoy_cluster_name="${name}"} ${n}`);
      }
      total.push(`envoy_cluster_upstream_rq_total{envoy_cluster_name="${name}"} ${c.count}`);
      BUCKETS_MS.forEach((le, i) => {
        time.push(`envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="${name}",le="${le}"} ${c.buckets[i]}`);
      });
      time.push(`envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name="${name}",le="+Inf"} ${c.count}`);
      time.push(`envoy_cluster_upstream_rq_time_sum{envoy_cluster_name="${name}"} ${c.sumMs}`);
      time.push(`envoy_cluster_upstream_rq_time_count{envoy_cluster_name="${name}"} ${c.count}`);
    }
    return [
      '# TYPE envoy_cluster_upstream_rq counter',
      ...rq,
      '# TYPE envoy_cluster_upstream_rq_xx counter',
      ...xx,
      '# TYPE envoy_cluster_upstream_rq_total counter',
      ...total,
      '# TYPE envoy_cluster_upstream_rq_time histogram',
      ...time,
      '',
    ].join('\n');
  }
}
