import { describe, expect, test } from 'vitest';
import { envsubst, EnvsubstError } from '../../../src/gitops/sources/internal/envsubst.js';
import { matchArgoGlob, matchDoublestar } from '../../../src/gitops/sources/internal/glob.js';
import { argoEnvsubst } from '../../../src/gitops/sources/internal/go-expand.js';
import { parseImageArg } from '../../../src/gitops/sources/internal/kustomize.js';
import { parseLsRemote, resolveArgoRevision, resolveFluxRef, revisionString, RefResolutionError } from '../../../src/gitops/sources/internal/refs.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const T = 'd'.repeat(40); // an annotated tag object
const LS_REMOTE = [
  `ref: refs/heads/main\tHEAD`,
  `${A}\tHEAD`,
  `${B}\trefs/heads/feature`,
  `${A}\trefs/heads/main`,
  `${C}\trefs/pull/7/head`,
  `${B}\trefs/tags/1.5.0`,
  `${T}\trefs/tags/v1.10.0`,
  `${C}\trefs/tags/v1.10.0^{}`,
  `${A}\trefs/tags/v1.2.0`,
  `${B}\trefs/tags/v2.0.0-rc.1`,
  `${A}\trefs/tags/deadbeef`,
  '',
].join('\n');
const refs = parseLsRemote(LS_REMOTE);

describe('ls-remote and revisions', () => {
  test('parseLsRemote keeps symrefs and peeled tags', () => {
    expect(refs[0]).toEqual({ name: 'HEAD', hash: A, target: 'refs/heads/main' });
    expect(refs.find((r) => r.name === 'refs/tags/v1.10.0')).toEqual({ name: 'refs/tags/v1.10.0', hash: T, peeled: C });
    expect(refs).toHaveLength(9);
  });

  test.each([
    [undefined, 'refs/heads/main', A, 'HEAD'],
    ['HEAD', 'refs/heads/main', A, 'HEAD'],
    ['feature', 'refs/heads/feature', B, 'feature'],
    ['refs/heads/feature', 'refs/heads/feature', B, 'refs/heads/feature'],
    ['pull/7/head', 'refs/pull/7/head', C, 'pull/7/head'],
    ['v1.10.0', 'refs/tags/v1.10.0', C, 'v1.10.0'],
    // a constraint picks the highest matching tag, numerically (v1.10.0 > v1.2.0 > 1.5.0)
    ['>=1.0.0 <2.0.0', 'refs/tags/v1.10.0', C, 'v1.10.0'],
    ['~1.2', 'refs/tags/v1.2.0', A, 'v1.2.0'],
    ['>=2.0.0-0', 'refs/tags/v2.0.0-rc.1', B, 'v2.0.0-rc.1'],
    // a ref whose name looks like a SHA is a ref
    ['deadbeef', 'refs/tags/deadbeef', A, 'deadbeef'],
  ])('Argo targetRevision %j → %s', (revision, refName, commit, label) => {
    expect(resolveArgoRevision(revision, refs)).toEqual({ kind: 'ref', refName, commit, label });
  });

  test('Argo SHAs and failures', () => {
    expect(resolveArgoRevision(B.toUpperCase(), [])).toEqual({ kind: 'commit', commit: B, abbreviated: false });
    expect(resolveArgoRevision('abc1234', refs)).toEqual({ kind: 'commit', commit: 'abc1234', abbreviated: true });
    expect(() => resolveArgoRevision('nope', refs)).toThrow(RefResolutionError);
    expect(() => resolveArgoRevision('>=9.0.0', refs)).toThrow("unable to resolve '>=9.0.0' to a commit SHA");
    // a plain version is a tag name, not a constraint
    expect(() => resolveArgoRevision('1.2.0', refs)).toThrow(RefResolutionError);
  });

  test('Flux ref precedence: commit > name > semver > tag > branch; default branch master', () => {
    expect(resolveFluxRef({ branch: 'feature' }, refs)).toMatchObject({ refName: 'refs/heads/feature', commit: B, label: 'feature' });
    expect(resolveFluxRef({ branch: 'feature', tag: 'v1.2.0' }, refs)).toMatchObject({ refName: 'refs/tags/v1.2.0', commit: A, label: 'v1.2.0' });
    expect(resolveFluxRef({ tag: 'v1.2.0', semver: '<2.0.0' }, refs)).toMatchObject({ refName: 'refs/tags/v1.10.0', commit: C, label: 'v1.10.0' });
    expect(resolveFluxRef({ semver: '*', name: 'refs/pull/7/head' }, refs)).toMatchObject({ refName: 'refs/pull/7/head', commit: C, label: 'refs/pull/7/head' });
    expect(resolveFluxRef({ name: 'refs/heads/main', commit: B, branch: 'main' }, refs)).toEqual({ kind: 'commit', commit: B, abbreviated: false, refName: 'refs/heads/main', label: 'main' });
    expect(() => resolveFluxRef({}, refs)).toThrow('couldn\'t find remote ref "refs/heads/master"');
    expect(() => resolveFluxRef({ semver: 'not a constraint!' }, refs)).toThrow('semver parse error');
    expect(() => resolveFluxRef({ commit: 'xyz' }, refs)).toThrow('is not a commit SHA');
  });

  test('revision strings as Flux prints them', () => {
    expect(revisionString('main', A)).toBe(`main@sha1:${A}`);
    expect(revisionString(undefined, A)).toBe(`sha1:${A}`);
    expect(revisionString('v1', 'e'.repeat(64))).toBe(`v1@sha256:${'e'.repeat(64)}`);
  });
});

describe('Flux envsubst', () => {
  const vars = { name: 'app', empty: '', num: '42', path: 'a/b/c.tar.gz' };
  test.each([
    ['${name}', 'app'],
    ['$name ${name}', '$name app'],
    ['$${name}', '${name}'],
    ['${unset}', ''],
    ['${unset:=dflt}', 'dflt'],
    ['${unset:-dflt}', 'dflt'],
    ['${unset=dflt}', 'dflt'],
    ['${empty:=dflt}', 'dflt'],
    ['${name:=dflt}', 'app'],
    ['${unset:=${name}-x}', 'app-x'],
    ['${#name}', '3'],
    ['${name^^}', 'APP'],
    ['${name^}', 'App'],
    ['${name:1}', 'pp'],
    ['${name:0:2}', 'ap'],
    // Go's path.Match, not bash: `*` does not cross `/`
    ['${path##*/}', 'b/c.tar.gz'],
    ['${path%%.*}', 'a/b/c'],
    ['${path#*/}', 'b/c.tar.gz'],
    ['${path%.*}', 'a/b/c.tar'],
    ['${path/\\//-}', 'a-b/c.tar.gz'],
    ['${path//\\//-}', 'a-b-c.tar.gz'],
    ['x: ${num}\ny: "${name}"', 'x: 42\ny: "app"'],
  ])('%s → %s', (input, output) => {
    expect(envsubst(input, vars)).toBe(output);
  });

  test.each(['${', '${name', '${-x}', '${name!}'])('%s is a parse error', (input) => {
    expect(() => envsubst(input, vars)).toThrow(EnvsubstError);
  });
});

describe('globs and expansions', () => {
  test.each([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'sub/a.yaml', true], // gobwas without separators: * crosses /
    ['{a,b}.yaml', 'b.yaml', true],
    ['{a,b}.yaml', 'c.yaml', false],
    ['[!a]*', 'b.yaml', true],
    ['[!a]*', 'a.yaml', false],
    ['sub/**', 'sub/x/y.yaml', true],
    ['\\*.yaml', '*.yaml', true],
    ['\\*.yaml', 'a.yaml', false],
    ['{a.yaml', 'a.yaml', false], // does not compile: matches nothing
  ])('Argo directory glob %s on %s: %s', (pattern, path, result) => {
    expect(matchArgoGlob(pattern, path)).toBe(result);
  });

  test.each([
    ['/r/*.yaml', '/r/a.yaml', true],
    ['/r/*.yaml', '/r/s/a.yaml', false],
    ['/r/**/*.yaml', '/r/a.yaml', true],
    ['/r/**/*.yaml', '/r/s/t/a.yaml', true],
    ['/r/[^a]*.yaml', '/r/b.yaml', true],
    ['/r/{x,y}/v.yaml', '/r/y/v.yaml', true],
  ])('doublestar %s on %s: %s', (pattern, path, result) => {
    expect(matchDoublestar(pattern, path)).toBe(result);
  });

  test('Argo $VAR expansion (os.Expand)', () => {
    const env = { ARGOCD_APP_NAME: 'guestbook', X: 'x' };
    expect(argoEnvsubst('$ARGOCD_APP_NAME-${X}', env)).toBe('guestbook-x');
    expect(argoEnvsubst('$$X $UNSET.', env)).toBe('$X .');
    expect(argoEnvsubst('no vars', env)).toBe('no vars');
  });

  test.each([
    ['nginx=registry/nginx:1.0', { name: 'nginx', newName: 'registry/nginx', newTag: '1.0' }],
    ['nginx=registry:5000/nginx', { name: 'nginx', newName: 'registry:5000/nginx' }],
    ['nginx:1.0', { name: 'nginx', newTag: '1.0' }],
    ['registry:5000/nginx:1.0', { name: 'registry:5000/nginx', newTag: '1.0' }],
    ['nginx@sha256:abc', { name: 'nginx', digest: 'sha256:abc' }],
  ])('kustomize edit set image %s', (arg, image) => {
    expect(parseImageArg(arg)).toEqual(image);
  });

  test('kustomize edit set image refuses a bare name', () => {
    expect(() => parseImageArg('nginx')).toThrow('invalid format of image "nginx"');
  });
});
