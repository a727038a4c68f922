/**
 * Argo CD's Env.Envsubst (pkg/apis/application/v1alpha1 types.go): Go's os.Expand over the
 * build environment, where `$$` stays `$` and an unknown variable expands to "". Argo applies
 * it to kustomize images and commonLabels (and annotations when asked), helm parameters and
 * values file paths.
 */

const isShellSpecial = (c: string) => '*#$@!?-'.includes(c) || (c >= '0' && c <= '9');
const isAlphaNum = (c: string) => c === '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/** os.getShellName: the name after `$` and how many bytes it takes. */
function shellName(s: string): [string, number] {
  if (s[0] === '{') {
    if (s.length > 2 && isShellSpecial(s[1]!) && s[2] === '}') return [s.slice(1, 2), 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '}') return i === 1 ? ['', 2] : [s.slice(1, i), i + 1];
    }
    return ['', 1];
  }
  if (isShellSpecial(s[0]!)) return [s.slice(0, 1), 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i]!)) i++;
  return [s.slice(0, i), i];
}

/** os.Expand(s, mapping). */
export function goExpand(s: string, mapping: (name: string) => string): string {
  let out = '';
  let i = 0;
  let touched = false;
  for (let j = 0; j < s.length; j++) {
    if (s[j] === '$' && j + 1 < s.length) {
      touched = true;
      out += s.slice(i, j);
      const [name, w] = shellName(s.slice(j + 1));
      if (name === '' && w > 0) {
        // invalid syntax: the characters are eaten
      } else if (name === '') {
        out += s[j];
      } else {
        out += mapping(name);
      }
      j += w;
      i = j + 1;
    }
  }
  return touched ? out + s.slice(i) : s;
}

/** Argo's Envsubst over `env`. */
export function argoEnvsubst(s: string, env: Readonly<Record<string, string>> | undefined): string {
  return goExpand(s, (name) => (name === '$' ? '$' : env && Object.hasOwn(env, name) ? env[name]! : ''));
}
