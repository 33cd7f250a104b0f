/**
 * Shared by the vendor tests (BatchData phone, Hunter, Apollo, Twilio, Melissa): recorded
 * payloads from test/fixtures/<vendor>/, a sandbox baseline with every tunable spelled out,
 * and a helper that expects a ProviderError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ProviderError } from '../../src/providers/errors.js';
import type { SandboxOptions } from '../../src/providers/sandbox/server.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** A fresh copy of test/fixtures/<folder>/<name>. */
export function loadVendorFixture(folder: string, name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`${folder}/${name}`, FIXTURES)), 'utf8')) as unknown;
}

/** The raw text of a fixture, for fictional-data checks. */
export function fixtureText(folder: string, name: string): string {
  return readFileSync(fileURLToPath(new URL(`${folder}/${name}`, FIXTURES)), 'utf8');
}

/** Every .json file of test/fixtures/<folder>, sorted. */
export function fixtureNames(folder: string): string[] {
  return readdirSync(fileURLToPath(new URL(`${folder}/`, FIXTURES)))
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** Every tunable spelled out, so one test's faults never leak into the next. */
export function sandboxBaseline(seed = 7): SandboxOptions {
  return {
    seed,
    hitRate: 0.8,
    latencyMs: 0,
    mobileShare: 0.6,
    dncRate: 0.15,
    tcpaRate: 0.05,
    litigatorRate: 0.01,
    deceasedRate: 0.02,
    emailRate: 0.6,
    maxPhones: 3,
    unitMissRate: 0.5,
    apiKey: null,
    phoneInvalidRate: 0.05,
    melissaVerifyRate: 0.9,
    melissaAppendRate: 0.5,
    apolloMatchRate: 0.7,
    hunterEmptyDomainRate: 0.1,
    hunterMaxEmailsPerDomain: 30,
    emailValidRate: 0.7,
    hunterVerifyPendingPolls: 0,
    hunterQuotaAfter: null,
    errorRate: 0,
    burst5xx: null,
    rateLimit429: null,
    timeoutRate: 0,
    malformedJsonRate: 0,
    driftRate: 0,
    bodyErrorRate: 0,
    bodyErrorStatus: 500,
    now: () => Date.now(),
  };
}

/** The ProviderError a call rejects with (fails the test when it resolves or throws another error). */
export async function providerFailure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/** The ProviderError a synchronous call throws. */
export function thrownProviderError(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected the call to throw');
}

/** Phone-like digit runs and email domains found anywhere in a text. */
export function contactsIn(text: string): { phones: string[]; emailDomains: string[] } {
  const emails = text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? [];
  const phones = (text.match(/\+?\d(?:[\s().-]{0,2}\d){9,}/g) ?? []).map((p) => p.replace(/\D/g, ''));
  return { phones, emailDomains: emails.map((e) => e.split('@')[1]!.toLowerCase()) };
}

/** NPA-555-01XX with or without a leading 1. */
export const FICTIONAL_PHONE = /^1?\d{3}55501\d{2}$/;
/** example.com / .org / .net or a name under them. */
export const FICTIONAL_EMAIL_DOMAIN = /(^|\.)example\.(com|org|net)$/;
