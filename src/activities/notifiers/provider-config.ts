// Reads an AlertProvider and, with spec.secretRef, its Secret, and resolves them the way Flagger
// does: the Secret's `address` replaces spec.address, `token` is Slack's bearer token, channel and
// username fall back to "general" and "flagger". Failures come back as text that names the
// provider and never the address, token or proxy.
import {
  ALERT_PROVIDER_PLURAL,
  ALERT_PROVIDER_TYPES,
  type AlertProvider,
  DEFAULT_ALERT_CHANNEL,
  DEFAULT_ALERT_USERNAME,
} from '../../api/alert-provider';
import { FLAGGER_GROUP, FLAGGER_VERSION } from '../../api/canary';
import { apiMessage, isNotFound, type KubeClients } from '../../kubernetes/client';
import { type ChatTarget, type Notifier } from './notifier';
import { notifierFor } from './notifiers';
import { type ProviderRef } from './routing';
import { SLACK_POST_MESSAGE_URL } from './slack';
import { urlForms } from './redact';
import { qualifiedName } from '../../rollout/names';

export interface ResolvedProvider {
  notifier: Notifier;
  target: ChatTarget;
  /** spec.proxy as written; it may carry credentials. */
  proxy?: string;
}

/** `secrets`: every credential read for the provider, to scrub from any text about it. */
export type Resolution = { ok: true; provider: ResolvedProvider; secrets: string[] } | { ok: false; error: string; secrets: string[] };

/** `<name>.<namespace>`, Flagger's way of naming a provider in its logs. */

export async function resolveProvider(kube: KubeClients, ref: ProviderRef): Promise<Resolution> {
  const id = `alert provider ${qualifiedName(ref)}`;
  let object: AlertProvider;
  try {
    object = (await kube.custom.getNamespacedCustomObject({
      group: FLAGGER_GROUP,
      version: FLAGGER_VERSION,
      plural: ALERT_PROVIDER_PLURAL,
      namespace: ref.namespace,
      name: ref.name,
    })) as AlertProvider;
  } catch (err) {
    return fail(isNotFound(err) ? `${id} not found` : `${id} could not be read: ${apiMessage(err)}`);
  }
  const spec = object.spec ?? {};
  const secrets = [...urlForms(spec.address), ...urlForms(spec.proxy)];
  const notifier = notifierFor(spec.type);
  if (notifier === undefined) {
    return fail(`${id} has type "${String(spec.type)}", which is not one of ${ALERT_PROVIDER_TYPES.join(', ')}`, secrets);
  }

  let address = spec.address?.trim() || undefined;
  let token: string | undefined;
  const secretName = spec.secretRef?.name;
  if (secretName) {
    let data: Record<string, string>;
    try {
      data = (await kube.core.readNamespacedSecret({ name: secretName, namespace: ref.namespace })).data ?? {};
    } catch (err) {
      return fail(
        isNotFound(err)
          ? `${id}: secret ${secretName} not found in namespace ${ref.namespace}`
          : `${id}: secret ${secretName} could not be read: ${apiMessage(err)}`,
        secrets,
      );
    }
    const secretAddress = decode(data.address);
    token = decode(data.token);
    secrets.push(...urlForms(secretAddress), ...(token ? [token] : []));
    if (secretAddress) address = secretAddress;
  }
  // A Slack bot token without an address posts through the Web API, as Flagger does.
  if (!address && token && spec.type === 'slack') address = SLACK_POST_MESSAGE_URL;
  if (!address) {
    return fail(
      secretName ? `${id} has no address: neither secret ${secretName} (key "address") nor spec.address holds one` : `${id} has no address`,
      secrets,
    );
  }
  const url = httpUrl(address);
  if (url === undefined) return fail(`${id}: its address is not an http(s) URL`, secrets);

  return {
    ok: true,
    provider: {
      notifier,
      target: {
        address: url,
        channel: spec.channel || DEFAULT_ALERT_CHANNEL,
        username: spec.username || DEFAULT_ALERT_USERNAME,
        ...(token && { token }),
      },
      ...(spec.proxy?.trim() && { proxy: spec.proxy.trim() }),
    },
    secrets,
  };
}

function fail(error: string, secrets: string[] = []): Resolution {
  return { ok: false, error, secrets };
}

/** Secret values are base64; a value written with `echo` keeps its newline, which no URL or token wants. */
function decode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Buffer.from(value, 'base64').toString('utf8').trim() || undefined;
}

export function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
