/**
 * Go's package path (slash-separated paths). On Linux, where Helm runs, path/filepath gives
 * the same results, so sprig's os* functions use these too.
 */

/** path.Clean: shortest equivalent path by lexical processing. */
export function clean(path: string): string {
  if (path === '') return '.';
  const rooted = path[0] === '/';
  const n = path.length;
  const out: string[] = [];
  let r = 0;
  let dotdot = 0;
  if (rooted) {
    out.push('/');
    r = 1;
    dotdot = 1;
  }
  while (r < n) {
    if (path[r] === '/') {
      r++;
    } else if (path[r] === '.' && (r + 1 === n || path[r + 1] === '/')) {
      r++;
    } else if (path[r] === '.' && path[r + 1] === '.' && (r + 2 === n || path[r + 2] === '/')) {
      r += 2;
      if (out.length > dotdot) {
        let c = out.pop();
        while (out.length > dotdot && c !== '/') c = out.pop();
      } else if (!rooted) {
        if (out.length > 0) out.push('/');
        out.push('.', '.');
        dotdot = out.length;
      }
    } else {
      if ((rooted && out.length !== 1) || (!rooted && out.length !== 0)) out.push('/');
      for (; r < n && path[r] !== '/'; r++) out.push(path[r]!);
    }
  }
  if (out.length === 0) return '.';
  return out.join('');
}

/** path.Base. */
export function base(path: string): string {
  if (path === '') return '.';
  while (path.length > 0 && path[path.length - 1] === '/') path = path.slice(0, -1);
  const i = path.lastIndexOf('/');
  if (i >= 0) path = path.slice(i + 1);
  if (path === '') return '/';
  return path;
}

/** path.Dir. */
export function dir(path: string): string {
  const i = path.lastIndexOf('/');
  return clean(path.slice(0, i + 1));
}

/** path.Ext. */
export function ext(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== '/'; i--) {
    if (path[i] === '.') return path.slice(i);
  }
  return '';
}

/** path.IsAbs. */
export function isAbs(path: string): boolean {
  return path.startsWith('/');
}
