import { GoStruct, stringMap, stringSlice } from '../gotemplate/index.js';
import type { Chart } from './types.js';

const json = (name: string) => ({ name, omitEmpty: true });

/**
 * `.Chart` as helm's engine builds it: `struct { chart.Metadata; IsRoot bool }`, with
 * Metadata's fields in declaration order (fmt prints them so) and its json names (toYaml .Chart).
 */
export function chartMetadataStruct(chart: Chart, isRoot: boolean): GoStruct {
  const m = chart.metadata;
  const maintainers = (m.maintainers ?? []).map(
    (x) =>
      new GoStruct('*chart.Maintainer', { Name: x.name ?? '', Email: x.email ?? '', URL: x.url ?? '' }, {}, {
        names: { Name: json('name'), Email: json('email'), URL: json('url') },
      }),
  );
  const dependencies = (m.dependencies ?? []).map(
    (d) =>
      new GoStruct(
        '*chart.Dependency',
        {
          Name: d.name,
          Version: d.version ?? '',
          Repository: d.repository ?? '',
          Condition: d.condition ?? '',
          Tags: d.tags ? stringSlice([...d.tags]) : null,
          Enabled: d.enabled ?? false,
          ImportValues: d.importValues ?? null,
          Alias: d.alias ?? '',
        },
        {},
        {
          names: {
            Name: { name: 'name' },
            Version: json('version'),
            Repository: { name: 'repository' },
            Condition: json('condition'),
            Tags: json('tags'),
            Enabled: json('enabled'),
            ImportValues: json('import-values'),
            Alias: json('alias'),
          },
        },
      ),
  );
  return new GoStruct(
    'struct { chart.Metadata; IsRoot bool }',
    {
      Name: m.name,
      Home: m.home ?? '',
      Sources: m.sources ? stringSlice([...m.sources]) : null,
      Version: m.version,
      Description: m.description ?? '',
      Keywords: m.keywords ? stringSlice([...m.keywords]) : null,
      Maintainers: m.maintainers ? maintainers : null,
      Icon: m.icon ?? '',
      APIVersion: m.apiVersion,
      Condition: m.condition ?? '',
      Tags: m.tags ?? '',
      AppVersion: m.appVersion ?? '',
      Deprecated: m.deprecated ?? false,
      Annotations: m.annotations ? stringMap({ ...m.annotations }) : null,
      KubeVersion: m.kubeVersion ?? '',
      Dependencies: m.dependencies ? dependencies : null,
      Type: m.type ?? '',
      IsRoot: isRoot,
    },
    {},
    {
      names: {
        Name: json('name'),
        Home: json('home'),
        Sources: json('sources'),
        Version: json('version'),
        Description: json('description'),
        Keywords: json('keywords'),
        Maintainers: json('maintainers'),
        Icon: json('icon'),
        APIVersion: json('apiVersion'),
        Condition: json('condition'),
        Tags: json('tags'),
        AppVersion: json('appVersion'),
        Deprecated: json('deprecated'),
        Annotations: json('annotations'),
        KubeVersion: json('kubeVersion'),
        Dependencies: json('dependencies'),
        Type: json('type'),
        IsRoot: { name: 'IsRoot' },
      },
    },
  );
}
