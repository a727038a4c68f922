import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { autogenControllers, autogenRules, canAutogen } from '../../../src/engines/policy/autogen.js';
import { parsePolicy } from '../../../src/engines/policy/parse.js';

function policy(rules: unknown[], annotations?: Record<string, string>) {
  return parsePolicy({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p', ...(annotations ? { annotations } : {}) }, spec: { rules } } as KubeObject);
}
const podMatch = { any: [{ resources: { kinds: ['Pod'] } }] };
const patternRule = { name: 'check', match: podMatch, validate: { message: 'labels', pattern: { metadata: { labels: { app: '?*' } }, spec: { containers: [{ image: '!*:latest' }] } } } };

describe('autogen', () => {
  it('adds autogen-<rule> for the controllers and autogen-cronjob-<rule> for CronJob', () => {
    const rules = autogenRules(policy([patternRule]));
    expect(rules.map((r) => r.name)).toEqual(['check', 'autogen-check', 'autogen-cronjob-check']);
    const [, ctl, cron] = rules;
    expect(ctl!.autogen).toBe(true);
    expect(ctl!.match).toEqual({ any: [{ resources: { kinds: ['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'ReplicationController', 'StatefulSet'] } }] });
    expect(ctl!.validate).toEqual({ message: 'labels', pattern: { spec: { template: patternRule.validate.pattern } } });
    expect(cron!.match).toEqual({ any: [{ resources: { kinds: ['CronJob'] } }] });
    expect(cron!.validate!.pattern).toEqual({ spec: { jobTemplate: { spec: { template: patternRule.validate.pattern } } } });
  });

  it('wraps every anyPattern and keeps deny conditions, rewriting request.object paths', () => {
    const rules = autogenRules(
      policy([
        { name: 'any', match: podMatch, validate: { anyPattern: [{ spec: { a: 1 } }, { spec: { b: 2 } }] } },
        {
          name: 'deny',
          match: podMatch,
          preconditions: { all: [{ key: '{{ request.object.metadata.name }}', operator: 'NotEquals', value: '' }] },
          validate: { message: 'no host ports on {{ request.object.metadata.name }}', deny: { conditions: { any: [{ key: '{{ request.object.spec.containers[].ports[].hostPort }}', operator: 'AnyNotIn', value: [0] }] } } },
        },
      ]),
    );
    expect(rules.map((r) => r.name)).toEqual(['any', 'deny', 'autogen-any', 'autogen-cronjob-any', 'autogen-deny', 'autogen-cronjob-deny']);
    expect(rules[2]!.validate!.anyPattern).toEqual([{ spec: { template: { spec: { a: 1 } } } }, { spec: { template: { spec: { b: 2 } } } }]);
    const deny = rules[4]!;
    expect(JSON.stringify(deny.validate!.deny)).toContain('request.object.spec.template.spec.containers[].ports[].hostPort');
    expect(deny.validate!.message).toBe('no host ports on {{ request.object.spec.template.metadata.name }}');
    expect(JSON.stringify(deny.preconditions)).toContain('request.object.spec.template.metadata.name');
    const cron = rules[5]!;
    expect(JSON.stringify(cron.validate!.deny)).toContain('request.object.spec.jobTemplate.spec.template.spec.containers');
  });

  it('honours the autogen-controllers annotation', () => {
    expect(autogenRules(policy([patternRule], { 'pod-policies.kyverno.io/autogen-controllers': 'none' })).map((r) => r.name)).toEqual(['check']);
    const some = autogenRules(policy([patternRule], { 'pod-policies.kyverno.io/autogen-controllers': 'Deployment,StatefulSet' }));
    expect(some.map((r) => r.name)).toEqual(['check', 'autogen-check']);
    expect(some[1]!.match).toEqual({ any: [{ resources: { kinds: ['Deployment', 'StatefulSet'] } }] });
    const cronOnly = autogenRules(policy([patternRule], { 'pod-policies.kyverno.io/autogen-controllers': 'CronJob' }));
    expect(cronOnly.map((r) => r.name)).toEqual(['check', 'autogen-cronjob-check']);
  });

  it('is off when a filter names resources, selects labels or mixes Pod with other kinds', () => {
    for (const res of [{ kinds: ['Pod'], names: ['x'] }, { kinds: ['Pod'], selector: { matchLabels: { a: 'b' } } }, { kinds: ['Pod', 'Deployment'] }, { kinds: ['Pod'], annotations: { a: 'b' } }]) {
      const p = policy([{ ...patternRule, match: { any: [{ resources: res }] } }]);
      expect(canAutogen(p)).toBe(false);
      expect(autogenRules(p)).toHaveLength(1);
    }
    // a rule on other kinds alone does not need it; next to a Pod rule it does not stop it
    expect(canAutogen(policy([{ ...patternRule, match: { any: [{ resources: { kinds: ['Service'] } }] } }]))).toBe(false);
    const mixed = policy([patternRule, { ...patternRule, name: 'svc', match: { any: [{ resources: { kinds: ['Service'] } }] } }]);
    expect(autogenRules(mixed).map((r) => r.name)).toEqual(['check', 'svc', 'autogen-check', 'autogen-cronjob-check']);
  });

  it('is off when any rule blocks it, for the whole policy (as Kyverno)', () => {
    const p = policy([patternRule, { ...patternRule, name: 'named', match: { any: [{ resources: { kinds: ['Pod'], names: ['a'] } }] } }]);
    expect(autogenControllers(p)).toEqual([]);
  });

  it('reads the legacy match form and a namespaces exclude', () => {
    const p = policy([{ ...patternRule, match: { resources: { kinds: ['Pod'] } }, exclude: { resources: { namespaces: ['kube-system'] } } }]);
    const rules = autogenRules(p);
    expect(rules[1]!.match).toEqual({ resources: { kinds: ['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'ReplicationController', 'StatefulSet'] } });
    expect(rules[1]!.exclude).toEqual({ resources: { namespaces: ['kube-system'] } });
    expect(rules[2]!.match).toEqual({ resources: { kinds: ['CronJob'] } });
  });

  it('only rewrites the filters that name Pod in an any block', () => {
    const p = policy([{ ...patternRule, match: { any: [{ resources: { kinds: ['Pod'] } }, { resources: { kinds: ['Service'] } }] } }]);
    expect(autogenRules(p)[1]!.match).toEqual({ any: [{ resources: { kinds: ['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'ReplicationController', 'StatefulSet'] } }, { resources: { kinds: ['Service'] } }] });
  });

  it('truncates generated names to 63 characters and skips rules already named autogen-', () => {
    const long = 'x'.repeat(70);
    const rules = autogenRules(policy([{ ...patternRule, name: long }, { ...patternRule, name: 'autogen-old' }]));
    expect(rules.map((r) => r.name.length)).toEqual([70, 63, 63]);
    expect(rules.map((r) => r.name)).not.toContain('autogen-autogen-old');
  });

  it('generate rules turn it off', () => {
    expect(canAutogen(policy([patternRule, { name: 'g', match: podMatch, generate: { kind: 'ConfigMap' } }]))).toBe(false);
  });

  it('keeps the failure action settings on generated rules', () => {
    const v = { ...patternRule.validate, failureAction: 'Enforce', failureActionOverrides: [{ action: 'Audit', namespaces: ['dev'] }], allowExistingViolations: false };
    const rules = autogenRules(policy([{ ...patternRule, validate: v }]));
    for (const r of rules.slice(1)) {
      expect(r.validate).toMatchObject({ failureAction: 'Enforce', failureActionOverrides: [{ action: 'Audit', namespaces: ['dev'] }], allowExistingViolations: false });
    }
  });

  it('caches per policy', () => {
    const p = policy([patternRule]);
    expect(autogenRules(p)).toBe(autogenRules(p));
  });
});
