/**
 * Label selectors as k8s.io/apimachinery/pkg/labels Parse reads them (the lexer, the
 * parser and its error texts), used by patch targets and replacement selectors for both
 * `labelSelector` and `annotationSelector`.
 */

type Tok = 'id' | 'end' | 'err' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(';

const TOKENS: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(' };

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): { tok: Tok; lit: string }[] {
  const out: { tok: Tok; lit: string }[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (isSpecial(s[pos]!)) {
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos]!;
        pos++;
        const t = TOKENS[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) {
          pos--;
          break;
        }
      }
      out.push(last ?? { tok: 'err', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buf += s[pos++]!;
    out.push({ tok: TOKENS[buf] ?? 'id', lit: buf });
  }
}

type Op = 'exists' | '!' | '=' | '==' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

interface Requirement {
  key: string;
  op: Op;
  values: string[];
}

/** A parsed selector; `matches` answers for a label (or annotation) map. */
export interface LabelSelector {
  matches(labels: Record<string, string>): boolean;
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function validateKey(k: string): string | undefined {
  const errs: string[] = [];
  const parts = k.split('/');
  let name = k;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
    else if (!DNS1123_SUBDOMAIN.test(prefix)) {
      errs.push(
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      );
    }
  } else if (parts.length > 2) {
    errs.push(
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return `Invalid value: ${JSON.stringify(k)}: ${errs.join('; ')}`;
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 bytes');
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return errs.length > 0 ? `Invalid value: ${JSON.stringify(k)}: ${errs.join('; ')}` : undefined;
}

function validateValue(k: string, v: string): string | undefined {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 bytes');
  if (!LABEL_VALUE.test(v)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs.length > 0 ? `[${k}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}` : undefined;
}

/** labels.Parse; throws Error with apimachinery's message for a bad selector. */
export function parseLabelSelector(selector: string): LabelSelector {
  const items = lex(selector);
  let pos = 0;
  const look = () => {
    const it = items[pos]!;
    return it.tok === 'in' || it.tok === 'notin' ? { tok: 'id' as Tok, lit: it.lit } : it;
  };
  const consume = (values: boolean) => {
    const it = items[pos++]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id' as Tok, lit: it.lit } : it;
  };
  const reqs: Requirement[] = [];

  const parseRequirement = (): Requirement => {
    let op: Op | undefined;
    let t = consume(true);
    if (t.tok === '!') {
      op = '!';
      t = consume(true);
    }
    if (t.tok !== 'id') throw new Error(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErr = validateKey(key);
    if (keyErr) throw new Error(keyErr);
    const next = look().tok;
    if (next === 'end' || next === ',') {
      return { key, op: op ?? 'exists', values: [] };
    }
    if (op === '!') {
      // "!key=value" is not a requirement form; apimachinery reads the operator next and fails.
    }
    const o = consume(false);
    let operator: Op;
    switch (o.tok) {
      case 'in':
        operator = 'in';
        break;
      case '=':
        operator = '=';
        break;
      case '==':
        operator = '==';
        break;
      case '>':
        operator = 'gt';
        break;
      case '<':
        operator = 'lt';
        break;
      case 'notin':
        operator = 'notin';
        break;
      case '!=':
        operator = '!=';
        break;
      default:
        throw new Error(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    let values: Set<string>;
    if (operator === 'in' || operator === 'notin') {
      const t1 = consume(true);
      if (t1.tok !== '(') throw new Error(`found '${t1.lit}' expected: '('`);
      const t2 = look();
      if (t2.tok === 'id' || t2.tok === ',') {
        values = new Set();
        for (;;) {
          const v = consume(true);
          if (v.tok === 'id') {
            values.add(v.lit);
            const n = look();
            if (n.tok === ',') continue;
            if (n.tok === ')') break;
            throw new Error(`found '${n.lit}', expected: ',' or ')'`);
          } else if (v.tok === ',') {
            if (values.size === 0) values.add('');
            const n = look();
            if (n.tok === ')') {
              values.add('');
              break;
            }
            if (n.tok === ',') values.add('');
          } else {
            throw new Error(`found '${v.lit}', expected: ',', or identifier`);
          }
        }
        if (consume(true).tok !== ')') throw new Error(`found '${t2.lit}', expected: ')'`);
      } else if (t2.tok === ')') {
        consume(true);
        values = new Set(['']);
      } else {
        throw new Error(`found '${t2.lit}', expected: ',', ')' or identifier`);
      }
    } else {
      values = new Set();
      const n = look();
      if (n.tok === 'end' || n.tok === ',') values.add('');
      else {
        const v = consume(true);
        if (v.tok !== 'id') throw new Error(`found '${v.lit}', expected: identifier`);
        values.add(v.lit);
      }
    }
    const vals = [...values].sort();
    if ((operator === 'in' || operator === 'notin') && vals.length === 0) {
      throw new Error(`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
    }
    if ((operator === '=' || operator === '==' || operator === '!=') && vals.length !== 1) {
      throw new Error(`values: Invalid value: ${JSON.stringify(vals)}: exact-match compatibility requires one single value`);
    }
    if (operator === 'gt' || operator === 'lt') {
      if (vals.length !== 1) throw new Error(`values: Invalid value: ${JSON.stringify(vals)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      if (!/^[-+]?[0-9]+$/.test(vals[0]!)) {
        throw new Error(`values[0]: Invalid value: ${JSON.stringify(vals[0])}: for 'Gt', 'Lt' operators, the value must be an integer`);
      }
    } else {
      for (const v of vals) {
        const e = validateValue(key, v);
        if (e) throw new Error(e);
      }
    }
    return { key, op: operator, values: vals };
  };

  for (;;) {
    const t = look();
    if (t.tok === 'id' || t.tok === '!') {
      try {
        reqs.push(parseRequirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`, { cause: e });
      }
      const c = consume(true);
      if (c.tok === 'end') break;
      if (c.tok === ',') {
        const n = look();
        if (n.tok !== 'id' && n.tok !== '!') throw new Error(`found '${n.lit}', expected: identifier after ','`);
        continue;
      }
      throw new Error(`found '${c.lit}', expected: ',' or 'end of string'`);
    } else if (t.tok === 'end') {
      break;
    } else {
      throw new Error(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
    }
  }
  return {
    matches: (labels) => reqs.every((r) => matches(r, labels)),
  };
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key]! : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'gt':
    case 'lt': {
      if (!has || !/^[-+]?[0-9]+$/.test(v!)) return false;
      const a = BigInt(v!);
      const b = BigInt(r.values[0]!);
      return r.op === 'gt' ? a > b : a < b;
    }
  }
}
