/**
 * server — Slipway's HTTP surface: Git webhooks (GitHub, GitLab, Gitea pushes with their
 * signatures), on-demand app refresh, health and readiness; later /metrics, the API of the
 * dashboard and auth. A surface: it drives gitops through its index and is imported by no
 * layer below (the CLI's `slipway controller` starts it). Webhook handling follows argo-cd
 * util/webhook/webhook.go. Also the policy admission webhook (`slipway webhook`): Kyverno policies
 * enforced on AdmissionReviews with Kyverno's denial text, PolicyReports for what was admitted,
 * its TLS and its ValidatingWebhookConfiguration (admission*.ts, tls.ts).
 */
export { createServer, parseListen, startServer, type ControllerApi, type RunningServer, type ServerOptions } from './server.js';
export {
  WebhookError,
  detectProvider,
  hmacHex,
  parseWebhook,
  payloadOf,
  safeEqual,
  verifyWebhook,
  type Headers,
  type WebhookProvider,
  type WebhookRequest,
} from './webhook.js';
export {
  AdmissionReviewError,
  blockedMessage,
  isBlocked,
  percentile,
  policyFailurePolicy,
  readAdmissionReview,
  reviewAdmission,
  startAdmissionServer,
  warningMessages,
  type AdmissionDecision,
  type AdmissionOptions,
  type AdmissionRequest,
  type AdmissionResponse,
  type AdmissionReviewResponse,
  type AdmissionServerOptions,
  type AdmissionStats,
  type RunningAdmissionServer,
} from './admission.js';
export { NamespaceLabels, POLICY_KINDS, PolicyStore, invalidPolicyLine, loadPolicyFiles, type PolicyStoreOptions } from './admission-policies.js';
export {
  CLUSTER_REPORT_NAME,
  MAX_REPORT_RESULTS,
  PolicyReportWriter,
  REPORT_API_VERSION,
  mergeResults,
  reportName,
  reportObject,
  reportResults,
  resourceId,
  summarize,
  type PolicyReportWriterOptions,
  type ReportResource,
  type ReportResult,
  type ReportSummary,
  type ReportWriterStats,
} from './admission-reports.js';
export {
  CLEANUP_WEBHOOK_NAME,
  DEFAULT_WEBHOOK_CONFIG_NAME,
  VALIDATE_WEBHOOK_NAME,
  WEBHOOK_FIELD_MANAGER,
  applyWebhookConfiguration,
  defaultNamespaceSelector,
  deleteWebhookConfiguration,
  installPolicyCrds,
  policyCrds,
  policyKinds,
  servedResources,
  webhookConfiguration,
  webhookRules,
  type ServedResource,
  type WebhookConfigOptions,
  type WebhookRule,
} from './admission-install.js';
export {
  createCa,
  createServingCert,
  directoryCertificateStore,
  ensureCertificates,
  secretCertificateStore,
  webhookHosts,
  type CertificateOptions,
  type CertificateResult,
  type CertificateStore,
  type WebhookCertificates,
} from './tls.js';
