// Unit tests of the simulator's routing rules: the parts of Contour/Envoy behaviour the canary tests
// rely on (includes, condition merging, route order, header matchers, weights).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type HTTPProxy } from '../../src/api/httpproxy';
import { buildVirtualHosts, headerMatches, matchRoute, pickBackend } from './routing';

const proxy = (name: string, spec: HTTPProxy['spec'], currentStatus: 'valid' | 'orphaned' = 'valid'): HTTPProxy => ({
  metadata: { name, namespace: 'test' },
  spec,
  status: { currentStatus },
});

const ingress = proxy('podinfo-ingress', {
  virtualhost: { fqdn: 'app.example.com' },
  includes: [{ name: 'podinfo', namespace: 'test', conditions: [{ prefix: '/' }] }],
});
const abTest = proxy(
  'podinfo',
  {
    routes: [
      {
        conditions: [{ prefix: '/' }],
        services: [
          { name: 'podinfo-primary', port: 80, weight: 100 },
          { name: 'podinfo-canary', port: 80, weight: 0 },
        ],
      },
      {
        conditions: [{ prefix: '/' }, { header: { name: 'x-canary', exact: 'insider' } }],
        services: [
          { name: 'podinfo-primary', port: 80, weight: 0 },
          { name: 'podinfo-canary', port: 80, weight: 100 },
        ],
      },
    ],
  },
  'orphaned',
);

describe('buildVirtualHosts', () => {
  it('follows includes from a valid root and orders header routes first', () => {
    const routes = buildVirtualHosts([ingress, abTest]).get('app.example.com');
    assert.ok(routes);
    assert.equal(routes.length, 2);
    assert.equal(routes[0]?.headers.length, 1);
    const plain = matchRoute(routes, { path: '/', headers: {} });
    const insider = matchRoute(routes, { path: '/api', headers: { 'x-canary': 'insider' } });
    assert.equal(pickBackend(plain!.backends, 0.99)?.service, 'podinfo-primary');
    assert.equal(pickBackend(insider!.backends, 0.01)?.service, 'podinfo-canary');
  });

  it('ignores roots Contour has not accepted', () => {
    const invalid = { ...ingress, status: { currentStatus: 'invalid' as const } };
    assert.equal(buildVirtualHosts([invalid, abTest]).size, 0);
  });

  it('joins include prefixes and treats unset weights as even only when none is set', () => {
    const root = proxy('root', { virtualhost: { fqdn: 'a.b' }, includes: [{ name: 'child', conditions: [{ prefix: '/api' }] }] });
    const child = proxy('child', {
      routes: [
        {
          conditions: [{ prefix: '/v1' }],
          services: [
            { name: 'a', port: 80 },
            { name: 'b', port: 80 },
          ],
        },
      ],
    });
    const [route] = buildVirtualHosts([root, child]).get('a.b') ?? [];
    assert.deepEqual(route?.path, { kind: 'prefix', value: '/api/v1' });
    assert.deepEqual(
      route?.backends.map((b) => b.weight),
      [1, 1],
    );
    assert.equal(matchRoute([route], { path: '/other', headers: {} }), undefined);
  });
});

describe('headerMatches', () => {
  const h = { cookie: 'session=1; canary=insider', 'user-agent': 'Mozilla Firefox/71.0' };
  it('implements exact, contains, notcontains, present and regex like Envoy', () => {
    assert.equal(headerMatches({ name: 'Cookie', contains: 'canary=insider' }, h), true);
    assert.equal(headerMatches({ name: 'cookie', notcontains: 'canary=insider' }, h), false);
    assert.equal(headerMatches({ name: 'user-agent', regex: '.*Firefox/71\\.0' }, h), true);
    assert.equal(headerMatches({ name: 'user-agent', regex: 'Firefox' }, h), false, 'regex is a full match');
    assert.equal(headerMatches({ name: 'x-canary', present: true }, h), false);
    assert.equal(headerMatches({ name: 'x-canary', notpresent: true }, h), true);
    assert.equal(headerMatches({ name: 'x-canary', exact: 'INSIDER', ignoreCase: true }, { 'x-canary': 'insider' }), true);
  });
  it('never matches a missing header except with notpresent or treatMissingAsEmpty', () => {
    assert.equal(headerMatches({ name: 'x-missing', notcontains: 'a' }, {}), false);
    assert.equal(headerMatches({ name: 'x-missing', notcontains: 'a', treatMissingAsEmpty: true }, {}), true);
  });
});

describe('pickBackend', () => {
  const backends = [
    { namespace: 'test', service: 'primary', port: 80, weight: 90 },
    { namespace: 'test', service: 'canary', port: 80, weight: 10 },
  ];
  it('splits by relative weight', () => {
    assert.equal(pickBackend(backends, 0.0)?.service, 'primary');
    assert.equal(pickBackend(backends, 0.8999)?.service, 'primary');
    assert.equal(pickBackend(backends, 0.9)?.service, 'canary');
  });
  it('finds nothing when every weight is zero', () => {
    assert.equal(
      pickBackend(
        backends.map((b) => ({ ...b, weight: 0 })),
        0.5,
      ),
      undefined,
    );
  });
});
