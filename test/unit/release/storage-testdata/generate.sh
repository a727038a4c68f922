#!/usr/bin/env bash
# Regenerates the helm fixtures of test/unit/release/storage-*.test.ts with the real helm of
# the toolchain, against the local control plane (scripts/cluster up):
#   records/shop.v<N>.release      the Secret's `release` value helm wrote (base64 of gzip JSON)
#   records/shop.v<N>.labels.json  the Secret's labels
#   outputs/<name>.txt             what helm printed (stdout) for list/history/status/get
# History of the release `shop` in namespace `storage-fixture`: 1 install (+ helm test),
# 2 upgrade --reuse-values, 3 a failed upgrade (invalid object name), 4 rollback to 2.
# Times in the records are helm's clock; the outputs print them in UTC (TZ=UTC).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../../.. && pwd)
eval "$("$root/scripts/cluster" env)"
export TZ=UTC
ns=storage-fixture
kubectl delete namespace "$ns" --ignore-not-found --wait >/dev/null
kubectl create namespace "$ns" >/dev/null
helm install shop ./chart -n "$ns" --labels team=payments,tier=backend \
  --set replicas=3 --set-string version=007 --set-json 'obj={"a":[1,2],"b":"<x>"}' --set ratio=0.5 >/dev/null
helm test shop -n "$ns" >/dev/null
helm upgrade shop ./chart -n "$ns" --reuse-values --set extra=yes >/dev/null
helm upgrade shop ./chart -n "$ns" --reuse-values --set badName=true >/dev/null 2>&1 && { echo "upgrade 3 should fail" >&2; exit 1; }
helm rollback shop 2 -n "$ns" >/dev/null

rm -rf records outputs && mkdir -p records outputs
for v in 1 2 3 4; do
  kubectl get secret -n "$ns" "sh.helm.release.v1.shop.v$v" -o jsonpath='{.data.release}' | base64 -d >"records/shop.v$v.release"
  kubectl get secret -n "$ns" "sh.helm.release.v1.shop.v$v" -o jsonpath='{.metadata.labels}' >"records/shop.v$v.labels.json"
done
out() { local name=$1; shift; helm "$@" -n "$ns" >"outputs/$name.txt"; }
out list list
out list-all list --all
out list-all-json list --all -o json
out list-all-yaml list --all -o yaml
out list-superseded list --superseded
out list-failed-date list --failed --superseded --date --reverse
out list-short list -q --all
out history history shop
out history-max2 history shop --max 2
out history-json history shop -o json
out history-yaml history shop -o yaml
out status status shop
out status-desc status shop --show-desc
out status-rev1 status shop --revision 1
out status-rev3 status shop --revision 3 --show-desc
out status-json status shop -o json
out status-yaml status shop -o yaml
out status-rev1-json status shop --revision 1 -o json
out get-manifest get manifest shop
out get-notes get notes shop
out get-hooks get hooks shop
out get-values get values shop
out get-values-json get values shop -o json
out get-values-yaml get values shop -o yaml
out get-values-all get values shop --all
out get-values-all-json get values shop --all -o json
out get-values-rev1 get values shop --revision 1
out get-all get all shop
out get-all-rev1 get all shop --revision 1
out get-metadata get metadata shop
out get-metadata-json get metadata shop -o json
out get-metadata-yaml get metadata shop -o yaml
kubectl delete namespace "$ns" --wait=false >/dev/null
echo "fixtures written to $(pwd)"
