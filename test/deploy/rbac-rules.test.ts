// The flattening and table parsing the RBAC test relies on, without a server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentedRules, expandRules, withoutDefaults } from './rbac-rules';

describe('RBAC rule sets', () => {
  it('expands rules to group/resource:verb, core group as ""', () => {
    assert.deepEqual(
      expandRules([
        { apiGroups: ['', 'apps'], resources: ['services'], verbs: ['get', 'create'] },
        { apiGroups: ['apps'], resources: ['services'], verbs: ['get'] },
      ]),
      ['""/services:create', '""/services:get', 'apps/services:create', 'apps/services:get'],
    );
  });

  it('reads the table between the markers and rejects a malformed row', () => {
    const doc = [
      'intro',
      '<!-- rbac-rules:begin -->',
      '| API group | resource | verbs | why |',
      '|---|---|---|---|',
      '| `""` | `events` | `get`, `create` | Events (`x.ts`) |',
      '| `flagger.app` | `canaries/status` | `patch` | status |',
      '<!-- rbac-rules:end -->',
    ].join('\n');
    // The why cell's backticks are not verbs: only the first three cells count.
    assert.deepEqual(expandRules(documentedRules(doc)), ['""/events:create', '""/events:get', 'flagger.app/canaries/status:patch']);
    assert.throws(() => documentedRules(doc.replace('`events`', 'events')), /malformed RBAC row/);
    assert.throws(() => documentedRules('no table'), /no table/);
  });

  it('drops only the self-review rules every identity has', () => {
    assert.deepEqual(
      withoutDefaults([
        'authorization.k8s.io/selfsubjectrulesreviews:create',
        'authentication.k8s.io/selfsubjectreviews:create',
        'authorization.k8s.io/subjectaccessreviews:create',
        '""/secrets:get',
      ]),
      ['authorization.k8s.io/subjectaccessreviews:create', '""/secrets:get'],
    );
  });
});
