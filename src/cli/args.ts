// Parsing of the command line's values. Pure: commander calls these and reports what they throw
// as a usage error.
import { InvalidArgumentError } from 'commander';

export interface CanaryRef {
  namespace: string;
  name: string;
}

// Kubernetes names: a namespace is a DNS-1123 label, a Canary's name a DNS-1123 subdomain. Checking
// them also keeps user text out of the visibility queries built from them.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A target as typed: `<namespace>/<name>`, or a bare `<name>` whose namespace is given elsewhere. */
export interface TargetArg {
  namespace?: string;
  name: string;
}

/** `<namespace>/<name>` as in `perch status test/podinfo`, or `<name>` (with -n, or as `kubectl perch`). */
export function parseTarget(text: string): TargetArg {
  const parts = text.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new InvalidArgumentError(`expected <namespace>/<name>, e.g. test/podinfo`);
  const [first = '', second] = parts;
  const name = second ?? first;
  if (second !== undefined) parseNamespace(first);
  if (!SUBDOMAIN.test(name)) throw new InvalidArgumentError(`"${name}" is not a Kubernetes object name`);
  return second === undefined ? { name } : { namespace: first, name };
}

/**
 * The canary a command is about: the target's own namespace, else -n, else `fallback` (the
 * kubeconfig's namespace, for `kubectl perch`). Both a namespace in the target and a different -n
 * is a contradiction, and no namespace at all an incomplete command line.
 */
export function resolveTarget(arg: TargetArg, namespaceOption: string | undefined, fallback?: () => string): CanaryRef {
  if (arg.namespace !== undefined && namespaceOption !== undefined && arg.namespace !== namespaceOption) {
    throw new InvalidArgumentError(`${arg.namespace}/${arg.name} is in namespace ${arg.namespace}, not ${namespaceOption} (-n)`);
  }
  const namespace = arg.namespace ?? namespaceOption ?? fallback?.();
  if (namespace === undefined) throw new InvalidArgumentError(`expected <namespace>/<name>, e.g. test/podinfo, or -n <namespace>`);
  return { namespace, name: arg.name };
}

export function parseNamespace(text: string): string {
  if (!LABEL.test(text)) throw new InvalidArgumentError(`"${text}" is not a Kubernetes namespace name`);
  return text;
}

export function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export function refText(ref: CanaryRef): string {
  return `${ref.namespace}/${ref.name}`;
}
