/**
 * server — Slipway's HTTP surface: Git webhooks (GitHub, GitLab, Gitea pushes with their
 * signatures), on-demand app refresh, health and readiness; later /metrics, the API of the
 * dashboard and auth. A surface: it drives gitops through its index and is imported by no
 * layer below (the CLI's `slipway controller` starts it). Webhook handling follows argo-cd
 * util/webhook/webhook.go.
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
