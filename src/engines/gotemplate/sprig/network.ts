/**
 * sprig's network function, `getHostByName` (sprig v3.3.0 network.go). sprig resolves the name
 * with net.LookupHost and returns one of its addresses at random. An engine must not touch the
 * network, so the lookup is injected; without one the function returns '' for every name.
 * (Helm's own output for it depends on the machine's DNS anyway; `helm template` results that
 * use it are not reproducible.)
 */
import { defineFunc } from '../values.js';
import type { GoFunc } from '../values.js';

/** Resolves a host name to one address (sprig picks one of LookupHost's at random), or '' when unknown. */
export type HostResolver = (name: string) => string;

/** The default resolver: no network, so every name resolves to ''. */
export const offlineResolver: HostResolver = () => '';

/** sprig's network functions: `getHostByName`, through the given resolver. */
export function networkFuncs(resolve: HostResolver = offlineResolver): GoFunc[] {
  return [defineFunc('getHostByName', ['string'], (name: string) => resolve(name))];
}
