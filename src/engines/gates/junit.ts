/** JUnit XML (Ant/Surefire style, as vitest, jest-junit, go-junit-report and pytest write it). */
import { InputError } from '../../core/index.js';
import { attr, children, numAttr, parseXml, text, type XmlNode } from './input.js';
import type { TestCase, TestReport } from './types.js';

/**
 * A JUnit report: `<testsuites>` or a bare `<testsuite>` (suites may nest), each
 * `<testcase>` passed, failed (`<failure>`), in error (`<error>`) or skipped (`<skipped>`).
 * The counts are those of the cases; the time is the root's `time`, else the sum of the
 * top-level suites', else of the cases'.
 */
export function parseJunit(textIn: string, file = 'junit.xml', root?: XmlNode): TestReport {
  const doc = root ?? parseXml(textIn, file);
  const top = children(doc, 'testsuites')[0];
  const suites = top ? children(top, 'testsuite') : children(doc, 'testsuite');
  if (!top && suites.length === 0) throw new InputError('not a JUnit report: no <testsuites> or <testsuite> element', { file });
  const cases: TestCase[] = [];
  const walk = (suite: XmlNode, prefix: string): void => {
    const name = prefix + (attr(suite, 'name') ?? '');
    for (const tc of children(suite, 'testcase')) {
      const failure = children(tc, 'failure')[0];
      const error = children(tc, 'error')[0];
      const skipped = children(tc, 'skipped')[0];
      const status: TestCase['status'] = failure ? 'failed' : error ? 'error' : skipped ? 'skipped' : 'passed';
      const detail = failure ?? error ?? skipped;
      const message = detail ? (attr(detail, 'message') ?? (text(detail).trim().split('\n')[0] || undefined)) : undefined;
      const classname = attr(tc, 'classname');
      const time = numAttr(tc, 'time');
      cases.push({
        suite: name,
        ...(classname !== undefined && { classname }),
        name: attr(tc, 'name') ?? '',
        ...(time !== undefined && { time }),
        status,
        ...(message !== undefined && { message }),
      });
    }
    for (const inner of children(suite, 'testsuite')) walk(inner, `${name} › `);
  };
  for (const s of suites) walk(s, '');
  const count = (s: TestCase['status']) => cases.filter((c) => c.status === s).length;
  const time =
    numAttr(top, 'time') ??
    (suites.every((s) => numAttr(s, 'time') !== undefined) && suites.length > 0
      ? suites.reduce((a, s) => a + numAttr(s, 'time')!, 0)
      : cases.reduce((a, c) => a + (c.time ?? 0), 0));
  return { format: 'junit', tests: cases.length, failures: count('failed'), errors: count('error'), skipped: count('skipped'), time, cases };
}
