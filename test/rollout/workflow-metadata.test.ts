import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Canary } from '../../src/api/canary';
import { staticDetails, staticSummary } from '../../src/watcher/workflow-metadata';

const canary = (analysis: Canary['spec']['analysis']): Canary => ({
  metadata: { name: 'podinfo', namespace: 'test' },
  spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' }, service: { port: 9898 }, analysis },
});

describe('static workflow metadata', () => {
  it('summarises the canary in one line under 200 bytes', () => {
    assert.equal(staticSummary(canary({ interval: '1m' })), 'Canary podinfo.test of Deployment podinfo');
  });
  it('describes the strategy and its settings', () => {
    const weighted = staticDetails(canary({ interval: '30s', stepWeight: 5, maxWeight: 50, metrics: [{ name: 'request-success-rate' }] }));
    assert.match(weighted, /\| Strategy \| canary \|/);
    assert.match(weighted, /\| Weights \| step 5, max 50 \|/);
    assert.match(weighted, /\| Metrics \| request-success-rate \|/);
    const ab = staticDetails(canary({ iterations: 10, match: [{ headers: { 'x-canary': { exact: 'insider' } } }] }));
    assert.match(ab, /\| Strategy \| A\/B testing \|/);
    assert.match(ab, /\| Iterations \| 10 \|/);
    assert.match(staticDetails(canary({ iterations: 3 })), /\| Strategy \| blue\/green \|/);
  });
});
