// What a podinfo pod answers, for the endpoints the seed walkthrough and the tests use. The simulator
// answers in-process for every ready endpoint of a Service, reporting the pod's name and image tag.

export interface Pod {
  name: string;
  /** The tag of the pod's first container image, e.g. "6.0.1". */
  version: string;
}

export interface PodinfoReply {
  status: number;
  body: string;
}

const json = (status: number, body: object): PodinfoReply => ({ status, body: JSON.stringify(body) + '\n' });

export async function podinfo(method: string, path: string, pod: Pod, signal?: AbortSignal): Promise<PodinfoReply> {
  const route = (path.split('?')[0] ?? '/').replace(/\/+$/, '') || '/';
  let m: RegExpExecArray | null;
  if ((m = /^\/status\/(\d{3})$/.exec(route))) return json(Number(m[1]), { status: Number(m[1]) });
  if ((m = /^\/delay\/(\d+)$/.exec(route))) {
    await sleep(Number(m[1]) * 1000, signal);
    return json(200, { delay: Number(m[1]) });
  }
  if (route === '/token' && method === 'POST') {
    return json(200, { token: `simulated.${pod.name}.token`, expiresAt: new Date(Date.now() + 60_000).toISOString() });
  }
  if (route === '/healthz' || route === '/readyz') return json(200, { status: 'OK' });
  if (route === '/version') return json(200, { version: pod.version, commit: '' });
  if (route === '/') {
    return json(200, { hostname: pod.name, version: pod.version, message: `greetings from podinfo v${pod.version}` });
  }
  return json(404, { message: 'not found' });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
