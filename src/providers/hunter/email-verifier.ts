/**
 * Hunter email verifier: GET /v2/email-verifier?email=, one address per request.
 *
 * Per-address outcomes that are answers, not failures (so the batch never fails for them):
 *   - 200 → Hunter's status (valid, invalid, accept_all, webmail, disposable, unknown);
 *     billed 1 credit, except unknown and disposable (free);
 *   - 202 "verification in progress" → polled up to `maxPolls` times, `pollIntervalMs`
 *     apart (Hunter counts it once); still pending → unknown / 'verification_pending', unbilled;
 *   - 222 "verification failed" (remote SMTP oddity) → unknown / 'smtp_failed', unbilled;
 *   - 451 (personal-data restriction, seen in a third-party OpenAPI) → unknown / 'restricted'.
 * Everything else (401, 403 rate limit, 429 quota, 5xx, unknown shapes) throws.
 */
import type { EmailVerification, EmailVerificationStatus, EmailVerifyProvider } from '../contract.js';
import { ProviderError } from '../errors.js';
import { describeIssue, isRecord } from '../shape.js';
import { descriptorFromFacts } from '../vendor-facts.js';
import { parseJsonBody, scrubbed, statusError, unrecognizedShape } from '../vendor-http.js';
import { createHunterClient, type HunterOptions } from './client.js';
import { throwOnErrorsBody } from './domain-search.js';
import { hunterEmailVerifierFacts as facts } from './facts.js';
import { hunterErrorCode, hunterErrorTextOf } from './status.js';
import { hunterEmailVerifierSchema, type HunterVerifierData } from './wire.js';

export interface HunterEmailVerifierOptions extends HunterOptions {
  /** Requests per address while Hunter answers 202. Default 3. */
  maxPolls?: number;
  /** Wait between two polls. Default 2 000. */
  pollIntervalMs?: number;
  /** Waits `ms` or rejects with the signal's reason. Default: a timer. Tests pass a fake. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function createHunterEmailVerifier(opts: HunterEmailVerifierOptions): EmailVerifyProvider {
  const client = createHunterClient(opts, facts);
  const descriptor = descriptorFromFacts(facts, { perHitMicros: opts.costPerCreditMicros });
  const maxPolls = Math.max(1, opts.maxPolls ?? 3);
  const pollIntervalMs = opts.pollIntervalMs ?? 2_000;
  const sleep = opts.sleep ?? abortableSleep;

  async function verifyOne(email: string, signal?: AbortSignal): Promise<EmailVerification> {
    for (let poll = 1; ; poll++) {
      const answer = await client.get(facts.endpoints.emailVerifier!, { email }, signal);
      if (answer.status === 202) {
        if (poll >= maxPolls) return unanswered(email, 'verification_pending');
        await sleep(pollIntervalMs, signal);
        continue;
      }
      if (answer.status === 222) return unanswered(email, 'smtp_failed');
      if (answer.status === 451) return unanswered(email, 'restricted');
      const code = hunterErrorCode(answer.status);
      if (code) throw statusError(client.ctx, code, answer, hunterErrorTextOf(answer.text));
      try {
        return parseEmailVerifierResponse(parseJsonBody(client.ctx, answer), email, answer.status);
      } catch (err) {
        throw scrubbed(client.ctx, err);
      }
    }
  }

  async function verifyEmails(
    emails: string[],
    options?: { signal?: AbortSignal },
  ): Promise<EmailVerification[]> {
    if (emails.length > facts.flags.batchSize) {
      throw new ProviderError(
        'invalid_request',
        `Hunter verifies one address per request; got ${emails.length} (send them one by one)`,
        { provider: facts.id },
      );
    }
    const results: EmailVerification[] = [];
    for (const email of emails) results.push(await verifyOne(email.trim(), options?.signal));
    return results;
  }

  return { ...descriptor, authStyle: opts.authStyle ?? 'header', kind: 'email-verify', verifyEmails };
}

export function parseEmailVerifierResponse(
  body: unknown,
  askedEmail: string,
  httpStatus: number,
): EmailVerification {
  const ctx = { provider: facts.id, secrets: [] };
  if (!isRecord(body)) throw unrecognizedShape(ctx, 'body is not a JSON object', body, httpStatus);
  throwOnErrorsBody(body, httpStatus, facts.id);
  const parsed = hunterEmailVerifierSchema.safeParse(body);
  if (!parsed.success) throw unrecognizedShape(ctx, describeIssue(parsed.error), body, httpStatus);
  const data = parsed.data.data;
  if (data.email.trim().toLowerCase() !== askedEmail.trim().toLowerCase()) {
    throw unrecognizedShape(ctx, 'answer is for another address than the one asked', body, httpStatus);
  }
  const status: EmailVerificationStatus = data.status;
  return {
    email: askedEmail,
    status,
    score: data.score ?? null,
    reason: reasonFor(data),
    billableUnits: status === 'unknown' || status === 'disposable' ? 0 : 1,
  };
}

/** A few machine-readable words for why, from Hunter's check flags (most telling first). */
function reasonFor(d: HunterVerifierData): string | null {
  if (d.regexp === false) return 'syntax';
  if (d.disposable === true) return 'disposable';
  if (d.webmail === true) return 'webmail';
  if (d.gibberish === true) return 'gibberish';
  if (d.mx_records === false) return 'no_mx';
  if (d.block === true) return 'blocked';
  if (d.accept_all === true) return 'catch_all';
  if (d.smtp_server === false) return 'smtp_unreachable';
  if (d.smtp_check === false) return 'smtp_rejected';
  if (d.smtp_check === true) return 'smtp_accepted';
  return null;
}

function unanswered(email: string, reason: string): EmailVerification {
  return { email, status: 'unknown', score: null, reason, billableUnits: 0 };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
