/** Vulnerability reports: Trivy JSON, Grype JSON and SARIF 2.1.0, counted by severity. */
import { InputError } from '../../core/index.js';
import { isRecord, list, parseJson } from './input.js';
import { SEVERITIES, type Severity, type VulnFormat, type VulnReport, type Vulnerability } from './types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A severity word of Trivy ("CRITICAL") or Grype ("Critical"; "Negligible" counts as LOW). */
export function severityOf(word: unknown): Severity {
  const w = str(word)?.toUpperCase();
  if (w === 'NEGLIGIBLE') return 'LOW';
  return SEVERITIES.includes(w as Severity) ? (w as Severity) : 'UNKNOWN';
}

/**
 * GitHub code scanning's severity of a SARIF `security-severity` score: over 9.0 critical
 * (9.0 included), 7.0–8.9 high, 4.0–6.9 medium, above 0 low.
 */
export function securitySeverity(score: number): Severity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'UNKNOWN';
}

/** A SARIF `level` where no security-severity is given: error HIGH, warning MEDIUM, note LOW, none UNKNOWN. */
export function levelSeverity(level: string): Severity {
  return ({ error: 'HIGH', warning: 'MEDIUM', note: 'LOW' } as Record<string, Severity>)[level] ?? 'UNKNOWN';
}

function report(format: VulnFormat, vulnerabilities: Vulnerability[]): VulnReport {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const v of vulnerabilities) counts[v.severity]++;
  return { format, counts, vulnerabilities };
}

export function parseTrivy(doc: unknown): VulnReport {
  const out: Vulnerability[] = [];
  for (const r of list(isRecord(doc) ? doc.Results : undefined)) {
    if (!isRecord(r)) continue;
    for (const v of list(r.Vulnerabilities)) {
      if (!isRecord(v)) continue;
      const pkg = str(v.PkgName);
      const title = str(v.Title);
      out.push({
        id: str(v.VulnerabilityID) ?? '',
        severity: severityOf(v.Severity),
        ...((pkg ?? str(r.Target)) !== undefined && { target: pkg ? `${pkg}${v.InstalledVersion ? `@${String(v.InstalledVersion)}` : ''}` : str(r.Target) }),
        ...(title !== undefined && { title }),
      });
    }
  }
  return report('trivy', out);
}

export function parseGrype(doc: unknown): VulnReport {
  const out: Vulnerability[] = [];
  for (const m of list(isRecord(doc) ? doc.matches : undefined)) {
    if (!isRecord(m) || !isRecord(m.vulnerability)) continue;
    const a = isRecord(m.artifact) ? m.artifact : {};
    const name = str(a.name);
    const description = str(m.vulnerability.description);
    out.push({
      id: str(m.vulnerability.id) ?? '',
      severity: severityOf(m.vulnerability.severity),
      ...(name !== undefined && { target: `${name}${a.version ? `@${String(a.version)}` : ''}` }),
      ...(description !== undefined && { title: description }),
    });
  }
  return report('grype', out);
}

/**
 * SARIF 2.1.0: every result of every run. Its severity is the `security-severity` of the
 * result's properties, else of its rule's (as GitHub reads it), else its `level` (the rule's
 * default level, else "warning", as SARIF defines).
 */
export function parseSarif(doc: unknown): VulnReport {
  const out: Vulnerability[] = [];
  for (const run of list(isRecord(doc) ? doc.runs : undefined)) {
    if (!isRecord(run)) continue;
    const driver = isRecord(run.tool) && isRecord(run.tool.driver) ? run.tool.driver : {};
    const rules = list(driver.rules).filter(isRecord);
    for (const r of list(run.results)) {
      if (!isRecord(r)) continue;
      const ruleRef = isRecord(r.rule) ? r.rule : {};
      const index = typeof r.ruleIndex === 'number' ? r.ruleIndex : typeof ruleRef.index === 'number' ? ruleRef.index : undefined;
      const id = str(r.ruleId) ?? str(ruleRef.id) ?? (index !== undefined ? str(rules[index]?.id) : undefined) ?? '';
      const rule = (index !== undefined ? rules[index] : undefined) ?? rules.find((x) => x.id === id);
      const score = [r.properties, rule?.properties].map((p) => (isRecord(p) ? p['security-severity'] : undefined)).find((s) => s !== undefined);
      const defaultLevel = isRecord(rule?.defaultConfiguration) ? str(rule.defaultConfiguration.level) : undefined;
      const level = str(r.level) ?? defaultLevel ?? 'warning';
      const n = Number(score);
      const severity = score !== undefined && String(score).trim() !== '' && Number.isFinite(n) ? securitySeverity(n) : levelSeverity(level);
      const message = isRecord(r.message) ? str(r.message.text) : undefined;
      const loc = list(r.locations)[0];
      const uri = isRecord(loc) && isRecord(loc.physicalLocation) && isRecord(loc.physicalLocation.artifactLocation) ? str(loc.physicalLocation.artifactLocation.uri) : undefined;
      out.push({ id, severity, ...(uri !== undefined && { target: uri }), ...(message !== undefined && { title: message }) });
    }
  }
  return report('sarif', out);
}

export function detectVulnFormat(doc: unknown): VulnFormat | undefined {
  if (!isRecord(doc)) return undefined;
  if (Array.isArray(doc.runs) && (typeof doc.version === 'string' || typeof doc.$schema === 'string')) return 'sarif';
  if (Array.isArray(doc.matches)) return 'grype';
  if ('SchemaVersion' in doc || 'ArtifactName' in doc || Array.isArray(doc.Results)) return 'trivy';
  return undefined;
}

/** Parses a vulnerability report of any supported format, detected from its content. */
export function parseVulns(text: string, file: string): VulnReport {
  const doc = parseJson(text, file);
  switch (detectVulnFormat(doc)) {
    case 'sarif':
      if (isRecord(doc) && doc.version !== undefined && doc.version !== '2.1.0') {
        throw new InputError(`unsupported SARIF version "${String(doc.version)}": only 2.1.0 is read`, { file });
      }
      return parseSarif(doc);
    case 'grype': return parseGrype(doc);
    case 'trivy': return parseTrivy(doc);
    default:
      throw new InputError('unknown vulnerability report: expected Trivy JSON (Results), Grype JSON (matches) or SARIF 2.1.0 (runs)', { file, line: 1 });
  }
}
