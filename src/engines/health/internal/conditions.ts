import { asString, isRecord, MalformedFieldError, describeType, asList, lookup } from './fields.js';

/** One entry of `status.conditions`, with absent strings read as ''. */
export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/** Parses a conditions list; `where` names it in error messages. */
export function parseConditions(value: unknown, where: string): Condition[] {
  return asList(value, where).map((item, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(item)) throw new MalformedFieldError(`${at} is ${describeType(item)}, expected an object`);
    return {
      type: asString(item['type'], `${at}.type`),
      status: asString(item['status'], `${at}.status`),
      reason: asString(item['reason'], `${at}.reason`),
      message: asString(item['message'], `${at}.message`),
    };
  });
}

/** The conditions at `path` (default `status.conditions`); empty when absent. */
export function readConditions(root: unknown, path = 'status.conditions'): Condition[] {
  return parseConditions(lookup(root, path), path);
}

/** The first condition of a type. Controllers keep one entry per type, so first is the only one. */
export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/** The condition of `type` if its status is `status` ('True' / 'False'). */
export function conditionWith(
  conditions: readonly Condition[],
  type: string,
  status: 'True' | 'False',
): Condition | undefined {
  const found = findCondition(conditions, type);
  return found?.status === status ? found : undefined;
}

/** "Reason: message", or whichever of the two is set, or `fallback`. */
export function describeCondition(condition: Condition | undefined, fallback = ''): string {
  if (!condition) return fallback;
  const { reason, message } = condition;
  if (reason && message) return `${reason}: ${message}`;
  return reason || message || fallback;
}
