import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration } from '../../src/kube/index.js';

describe('parseDuration', () => {
  test.each([
    ['300s', 300_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['2m30s', 150_000],
    ['1.5s', 1_500],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['1s500ms', 1_500],
    ['0s', 0],
    ['90', 90_000],
    ['0', 0],
    ['2.5', 2_500],
    [' 5m ', 300_000],
    ['.5s', 500],
    ['1.s', 1_000],
    ['100us', 0.1],
    ['-5m', -300_000],
    ['+5s', 5_000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['5x', '', '   ', 'm5', 'm', 's', '5 m', '1m30', '1h 30m', '5M', 'five', '-', '1.2.3s', '1e3s'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [1_000, '1s'],
    [59_000, '59s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [5_400_000, '1h30m0s'],
    [3_723_000, '1h2m3s'],
    [90_000_000, '25h0m0s'],
    [1_500, '1.5s'],
    [250, '250ms'],
    [61_250, '1m1.25s'],
    [-90_000, '-1m30s'],
  ])('%i ms is %s, as Go prints it', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test.each(['300s', '5m', '1h30m', '2m30s', '45s'])('%s reads back to the same milliseconds once formatted', (text) => {
    const ms = parseDuration(text) ?? Number.NaN;
    expect(ms).not.toBeNaN();
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
