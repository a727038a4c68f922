/**
 * sprig's url.go: urlParse (net/url Parse into a dict) and urlJoin (a dict back into
 * URL.String()). Both panic like sprig on bad input. `urlquery` is text/template's own.
 */
import { defineFunc, type GoFunc, type GoMap } from '../values.js';
import { hasEntry, typeKind } from './internal/reflect.js';
import { fromByteString, toByteString } from './internal/bytes.js';
import { UrlError, hostname, newUrl, parseUrl, urlString, userinfoString } from './internal/net-url.js';

function urlParse(v: string): GoMap {
  let u;
  try {
    u = parseUrl(v);
  } catch (e) {
    if (e instanceof UrlError) throw new Error(`unable to parse url: ${e.message}`, { cause: e });
    throw e;
  }
  return {
    scheme: fromByteString(u.scheme),
    host: fromByteString(u.host),
    hostname: fromByteString(hostname(u)),
    path: fromByteString(u.path),
    query: fromByteString(u.rawQuery),
    opaque: fromByteString(u.opaque),
    fragment: fromByteString(u.fragment),
    userinfo: fromByteString(userinfoString(u.user)),
  };
}

/** sprig dictGetOrEmpty: a missing key is "", a non-string value panics. */
function field(d: GoMap | null, key: string): string {
  if (!hasEntry(d, key)) return '';
  const value = d![key];
  const kind = typeKind(value);
  if (typeof value !== 'string') {
    throw new Error(`unable to parse ${key} key, must be of type string, but ${kind} found`);
  }
  return value;
}

function urlJoin(d: GoMap | null): string {
  const u = newUrl({
    scheme: toByteString(field(d, 'scheme')),
    host: toByteString(field(d, 'host')),
    path: toByteString(field(d, 'path')),
    rawQuery: toByteString(field(d, 'query')),
    opaque: toByteString(field(d, 'opaque')),
    fragment: toByteString(field(d, 'fragment')),
  });
  const userinfo = field(d, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseUrl(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof UrlError) throw new Error(`unable to parse userinfo in dict: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return urlString(u);
}

/** The URL functions. */
export function urlFuncs(): GoFunc[] {
  return [defineFunc('urlParse', ['string'], urlParse), defineFunc('urlJoin', ['map'], urlJoin)];
}

