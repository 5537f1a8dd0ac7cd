/** One signed delivery request. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What came of a request: the endpoint's answer (after redirects), or why there was none. */
export type WebhookResponse = { kind: 'answered'; statusCode: number; durationMs: number } | { kind: 'failed'; reason: string; durationMs: number };

/** Sends webhook requests only where the URL policy allows, at every hop (shared/domain/webhooks/url_policy.ts). */
export interface WebhookTransport {
  /** Why a webhook may not send to `url` (the policy, or a host resolving to a forbidden address), or null when it may. */
  vet(url: string): Promise<string | null>;
  /** POSTs the request, following a few redirects, each checked like the first URL. */
  post(request: WebhookRequest): Promise<WebhookResponse>;
}
