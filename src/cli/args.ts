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

/** `<namespace>/<name>`, as in `perch status test/podinfo`. */
export function parseTarget(text: string): CanaryRef {
  const parts = text.split('/');
  const [namespace, name] = parts;
  if (parts.length !== 2 || !namespace || !name) {
    throw new InvalidArgumentError(`expected <namespace>/<name>, e.g. test/podinfo`);
  }
  parseNamespace(namespace);
  if (!SUBDOMAIN.test(name)) throw new InvalidArgumentError(`"${name}" is not a Kubernetes object name`);
  return { namespace, name };
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
