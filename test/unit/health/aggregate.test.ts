import { describe, expect, test } from 'vitest';
import { isTerminalHealth, worstHealth, type HealthStatus } from '../../../src/engines/health/index.js';

describe('worstHealth', () => {
  test.each<[HealthStatus[], HealthStatus]>([
    [[], 'Healthy'],
    [['Healthy', 'Healthy'], 'Healthy'],
    [['Healthy', 'Suspended'], 'Suspended'],
    [['Suspended', 'Progressing', 'Healthy'], 'Progressing'],
    [['Progressing', 'Missing'], 'Missing'],
    [['Missing', 'Degraded', 'Progressing'], 'Degraded'],
    [['Degraded', 'Unknown', 'Healthy'], 'Unknown'],
    [['Unknown', 'Healthy'], 'Unknown'],
  ])('of %j is %s', (healths, want) => {
    expect(worstHealth(healths)).toBe(want);
  });

  test('does not depend on order', () => {
    const all: HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded'];
    expect(worstHealth(all)).toBe('Degraded');
    expect(worstHealth([...all].reverse())).toBe('Degraded');
  });
});

describe('isTerminalHealth', () => {
  test.each<[HealthStatus, boolean]>([
    ['Healthy', true],
    ['Degraded', true],
    ['Progressing', false],
    ['Suspended', false],
    ['Missing', false],
    ['Unknown', false],
  ])('%s is terminal: %s', (status, want) => {
    expect(isTerminalHealth(status)).toBe(want);
  });
});
