import { expect, test } from 'vitest';
import { loadChartFiles, renderLoadedChart, formatTemplateOutput, type ChartFile } from '../../../src/engines/chart/index.js';

const file = (name: string, text: string): ChartFile => ({ name, data: new TextEncoder().encode(text) });

test('a chart with 400 templates and 4,000 objects renders every object, in install order', () => {
  const files = [file('Chart.yaml', 'apiVersion: v2\nname: big\nversion: 1.0.0\n'), file('values.yaml', 'replicas: 2\n')];
  for (let t = 0; t < 400; t++) {
    const docs: string[] = [];
    for (let d = 0; d < 10; d++) {
      docs.push(`apiVersion: v1\nkind: ${d % 2 ? 'ConfigMap' : 'Service'}\nmetadata:\n  name: {{ .Release.Name }}-${t}-${d}\ndata:\n  n: {{ .Values.replicas | quote }}`);
    }
    files.push(file(`templates/t${String(t).padStart(3, '0')}.yaml`, docs.join('\n---\n')));
  }
  const result = renderLoadedChart(loadChartFiles(files, 'big'), {});
  expect(result.manifests).toHaveLength(4000);
  const kinds = result.manifests.map((m) => m.head.kind);
  expect(kinds.indexOf('Service')).toBeGreaterThan(kinds.lastIndexOf('ConfigMap')); // ConfigMap installs before Service
  expect(formatTemplateOutput(result).match(/^# Source: /gm)).toHaveLength(4000);
});

test('values nested 300 levels deep reach templates and toYaml', () => {
  let values = 'leaf: deep\n';
  for (let i = 299; i >= 0; i--) values = `l${i}:\n${values.replace(/^/gm, '  ')}`;
  const path = Array.from({ length: 300 }, (_, i) => `l${i}`).join('.');
  const files = [
    file('Chart.yaml', 'apiVersion: v2\nname: deep\nversion: 1.0.0\n'),
    file('values.yaml', values),
    file('templates/cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  leaf: {{ .Values.${path}.leaf }}\n  yaml: {{ toYaml .Values | quote }}\n`),
  ];
  const out = formatTemplateOutput(renderLoadedChart(loadChartFiles(files, 'deep'), {}));
  expect(out).toContain('  leaf: deep\n');
  expect(out).toContain('l299:');
});
