/**
 * ImageTagTransformer (api/internal/builtins/ImageTagTransformer.go, api/filters/imagetag,
 * api/internal/image): `images` entries. First the legacy pass over every `containers` and
 * `initContainers` list anywhere in an object, then the image field specs; CRDs are left
 * alone. The image name is a regular expression, as in kustomize.
 */
import { Ref, applyFieldSpecs, wrongKind } from '../internal/fieldspec.js';
import { compileGoRegexp } from '../internal/go-regexp.js';
import { isPlainObject } from '../internal/yaml-read.js';
import type { FieldSpec, ImageSpec } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import { scalarText, untaggedScalar } from '../resource.js';
import type { Transformer } from './types.js';

/** image.IsImageMatched. */
export function isImageMatched(s: string, name: string): boolean {
  let re: RegExp;
  try {
    re = compileGoRegexp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return false;
  }
  return re.test(s);
}

/** image.Split: name, tag and digest of an image reference. */
export function splitImage(imageName: string): { name: string; tag: string; digest: string } {
  let searchName = imageName;
  let slashIndex = imageName.indexOf('/');
  if (slashIndex > 0) searchName = imageName.slice(slashIndex);
  else slashIndex = 0;
  let id = searchName.indexOf('@');
  let ic = searchName.indexOf(':');
  if (ic < 0 && id < 0) return { name: imageName, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slashIndex;
    return { name: imageName.slice(0, id), tag: '', digest: imageName.slice(id).replace(/^@/, '') };
  }
  if (id >= 0 && ic >= 0) {
    id += slashIndex;
    ic += slashIndex;
    return { name: imageName.slice(0, ic), tag: imageName.slice(ic, id).replace(/^:/, ''), digest: imageName.slice(id).replace(/^@/, '') };
  }
  ic += slashIndex;
  return { name: imageName.slice(0, ic), tag: imageName.slice(ic).replace(/^:/, ''), digest: '' };
}

/** imageTagUpdater.SetImageValue. */
function updateImage(ref: Ref, image: ImageSpec): void {
  const v = ref.get();
  if (Array.isArray(v) || isPlainObject(v)) throw wrongKind('ScalarNode', v);
  const value = scalarText(v);
  if (!isImageMatched(value, image.name ?? '')) return;
  let { name, tag, digest } = splitImage(value);
  if (image.newName) name = image.newName;
  if (image.newTag && image.digest) {
    tag = image.newTag;
    digest = image.digest;
  } else if (image.newTag) {
    tag = image.newTag;
    digest = '';
  } else if (image.digest) {
    tag = '';
    digest = image.digest;
  } else if (image.tagSuffix) {
    tag += image.tagSuffix;
    digest = '';
  }
  if (tag !== '') name += `:${tag}`;
  if (digest !== '') name += `@${digest}`;
  ref.set(untaggedScalar(v, name));
}

/** The legacy pass: `image` of each element of any containers/initContainers list. */
function legacyWalk(node: unknown, image: ImageSpec): void {
  if (isPlainObject(node)) {
    for (const key of Object.keys(node)) {
      const value = node[key];
      legacyWalk(value, image);
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        for (const c of value) {
          if (!isPlainObject(c) || !('image' in c)) continue;
          updateImage(new Ref(c, 'image'), image);
        }
      }
    }
  } else if (Array.isArray(node)) {
    for (const x of node) legacyWalk(x, image);
  }
}

export function imageTagTransformer(image: ImageSpec, fieldSpecs: readonly FieldSpec[], entry?: string): Transformer {
  return {
    id: 'ImageTagTransformer',
    entry,
    transform(m: ResMap) {
      for (const r of m.resources()) {
        if (r.kind === 'CustomResourceDefinition') continue;
        legacyWalk(r.obj, image);
      }
      for (const r of m.resources()) {
        if (r.kind === 'CustomResourceDefinition') continue;
        applyFieldSpecs(r.obj, fieldSpecs, (ref) => updateImage(ref, image));
      }
    },
  };
}
