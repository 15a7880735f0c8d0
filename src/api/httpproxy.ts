// The subset of Contour's HTTPProxy (projectcontour.io/v1) that Perch writes and the data-plane
// simulator routes by. Field names follow Contour's API exactly.

export const HTTPPROXY_GROUP = 'projectcontour.io';
export const HTTPPROXY_VERSION = 'v1';
export const HTTPPROXY_PLURAL = 'httpproxies';

export interface HeaderMatchCondition {
  name: string;
  present?: boolean;
  notpresent?: boolean;
  contains?: string;
  notcontains?: string;
  exact?: string;
  notexact?: string;
  regex?: string;
  ignoreCase?: boolean;
  treatMissingAsEmpty?: boolean;
}

/** Contour's query parameter condition: one of exact, prefix, suffix, regex, contains or present. */
export interface QueryParameterMatchCondition {
  name: string;
  exact?: string;
  prefix?: string;
  suffix?: string;
  regex?: string;
  contains?: string;
  ignoreCase?: boolean;
  present?: boolean;
}

export interface MatchCondition {
  prefix?: string;
  exact?: string;
  regex?: string;
  header?: HeaderMatchCondition;
  queryParameter?: QueryParameterMatchCondition;
}

export interface HeaderValue {
  name: string;
  value: string;
}

export interface HeadersPolicy {
  set?: HeaderValue[];
  remove?: string[];
}

export interface HTTPProxyService {
  name: string;
  port: number;
  /** Share of the route's traffic; on a mirror, the percentage of requests mirrored (unset: all). */
  weight?: number;
  /** Receives a copy of every request (or `weight`% of them); its answers are dropped. One per route. */
  mirror?: boolean;
  requestHeadersPolicy?: HeadersPolicy;
  responseHeadersPolicy?: HeadersPolicy;
}

export interface TimeoutPolicy {
  response?: string;
  idle?: string;
}

export interface RetryPolicy {
  count?: number;
  perTryTimeout?: string;
  retryOn?: string[];
  retriableStatusCodes?: number[];
}

export interface HTTPProxyRoute {
  conditions?: MatchCondition[];
  services?: HTTPProxyService[];
  timeoutPolicy?: TimeoutPolicy;
  retryPolicy?: RetryPolicy;
  requestHeadersPolicy?: HeadersPolicy;
  responseHeadersPolicy?: HeadersPolicy;
}

export interface HTTPProxyInclude {
  name: string;
  namespace?: string;
  conditions?: MatchCondition[];
}

export interface HTTPProxySpec {
  virtualhost?: { fqdn: string };
  ingressClassName?: string;
  includes?: HTTPProxyInclude[];
  routes?: HTTPProxyRoute[];
}

export interface HTTPProxyStatus {
  currentStatus?: 'valid' | 'invalid' | 'orphaned' | 'NotReconciled';
  description?: string;
  conditions?: { type: string; status: string; errors?: { type: string; reason: string; message: string }[] }[];
}

export interface HTTPProxy {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    ownerReferences?: object[];
  };
  spec: HTTPProxySpec;
  status?: HTTPProxyStatus;
}
