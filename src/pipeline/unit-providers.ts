/**
 * Adapters that let SkipTraceService guard every paid provider kind, not only skip-trace:
 * each turns a provider's own method into `UnitProvider.call` (one SkipTraceItemResult per
 * input, matched by evidence: the number or address asked, or the request id) and says how
 * a request is recorded in provider_calls without raw PII (hints only).
 *
 * Answers: contacts travel as `persons` (so they merge like skip-trace contacts); the rest
 * of the answer (a verification, a property record, a business person's title) as `extra`.
 */
import { piiHint } from '../domain/pii/cipher.js';
import type {
  BusinessPeopleProvider,
  EmailVerification,
  EmailVerifyProvider,
  ParsedPerson,
  PersonMatchInput,
  PhoneVerification,
  PhoneVerifyProvider,
  PropertyDetailInput,
  PropertyDetailProvider,
  PropertyRecord,
  SkipTraceItemResult,
} from '../providers/contract.js';
import type { UnitProvider } from './skiptrace-service.js';

export interface PhoneUnitInput {
  /** E.164. */
  number: string;
}

export interface EmailUnitInput {
  /** Lower-cased address. */
  email: string;
}

export type BusinessUnitInput = Omit<PersonMatchInput, 'requestId'>;
export type DetailUnitInput = Omit<PropertyDetailInput, 'requestId'>;

/** `extra` of a business-people answer. */
export interface BusinessExtra {
  title: string | null;
  organization: string | null;
  domain: string | null;
  linkedinUrl: string | null;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; durationMs: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, durationMs: Math.round(performance.now() - started) };
}

export function phoneVerifyUnit(p: PhoneVerifyProvider): UnitProvider<PhoneUnitInput> {
  return {
    id: p.id,
    flags: p.flags,
    cost: p.cost,
    describe: (input) => ({ phone: piiHint('phone', input.number) }),
    async call(inputs, options) {
      const { value, durationMs } = await timed(() =>
        p.verifyPhones(
          inputs.map((i) => i.number),
          options,
        ),
      );
      const byNumber = new Map<string, PhoneVerification>(value.map((v) => [v.number, v]));
      const items: SkipTraceItemResult[] = inputs.map((input) => {
        const v = byNumber.get(input.number);
        if (!v)
          return { requestId: input.requestId, matched: false, billableUnits: 0, persons: [], rawItem: null };
        return {
          requestId: input.requestId,
          matched: v.valid !== false,
          billableUnits: v.billableUnits,
          persons: [],
          rawItem: v,
          extra: v,
        };
      });
      return { statusCode: 200, durationMs, items };
    },
  };
}

export function emailVerifyUnit(p: EmailVerifyProvider): UnitProvider<EmailUnitInput> {
  return {
    id: p.id,
    flags: p.flags,
    cost: p.cost,
    describe: (input) => ({ email: piiHint('email', input.email) }),
    async call(inputs, options) {
      const { value, durationMs } = await timed(() =>
        p.verifyEmails(
          inputs.map((i) => i.email),
          options,
        ),
      );
      const byEmail = new Map<string, EmailVerification>(value.map((v) => [v.email.toLowerCase(), v]));
      const items: SkipTraceItemResult[] = inputs.map((input) => {
        const v = byEmail.get(input.email.toLowerCase());
        if (!v)
          return { requestId: input.requestId, matched: false, billableUnits: 0, persons: [], rawItem: null };
        return {
          requestId: input.requestId,
          matched: v.status !== 'unknown',
          billableUnits: v.billableUnits,
          persons: [],
          rawItem: v,
          extra: v,
        };
      });
      return { statusCode: 200, durationMs, items };
    },
  };
}

export function businessPeopleUnit(p: BusinessPeopleProvider): UnitProvider<BusinessUnitInput> {
  return {
    id: p.id,
    flags: p.flags,
    cost: p.cost,
    describe: (input) => ({
      organization: input.organizationName ?? null,
      domain: input.domain ?? null,
      first: input.firstName ? `${input.firstName[0]}.` : null,
      last: input.lastName ? `${input.lastName[0]}.` : null,
    }),
    async call(inputs, options) {
      const { value, durationMs } = await timed(() => p.matchPeople(inputs, options));
      const byId = new Map(value.map((r) => [r.requestId, r]));
      const items: SkipTraceItemResult[] = inputs.map((input) => {
        const r = byId.get(input.requestId);
        if (!r || !r.person)
          return {
            requestId: input.requestId,
            matched: false,
            billableUnits: r?.billableUnits ?? 0,
            persons: [],
            rawItem: r?.rawItem ?? null,
          };
        const person: ParsedPerson = {
          first: r.person.first,
          last: r.person.last,
          full: [r.person.first, r.person.last].filter(Boolean).join(' ') || null,
          litigator: false,
          deceased: false,
          phones: r.person.phones,
          emails: r.person.email
            ? [{ address: r.person.email.toLowerCase(), tested: r.person.emailStatus === 'verified' }]
            : [],
        };
        const extra: BusinessExtra = {
          title: r.person.title,
          organization: r.person.organization,
          domain: r.person.domain,
          linkedinUrl: r.person.linkedinUrl,
        };
        return {
          requestId: input.requestId,
          matched: r.matched,
          billableUnits: r.billableUnits,
          persons: [person],
          rawItem: r.rawItem,
          extra,
        };
      });
      return { statusCode: 200, durationMs, items };
    },
  };
}

export function propertyDetailUnit(p: PropertyDetailProvider): UnitProvider<DetailUnitInput> {
  return {
    id: p.id,
    flags: p.flags,
    cost: p.cost,
    describe: (input) => ({
      property_id: input.propertyId ?? null,
      street: input.street ?? null,
      city: input.city ?? null,
      state: input.state ?? null,
      zip: input.zip ?? null,
      apn: input.apn ?? null,
    }),
    async call(inputs, options) {
      const { value, durationMs } = await timed(() => p.propertyDetail(inputs, options));
      const byId = new Map(value.map((r) => [r.requestId, r]));
      const items: SkipTraceItemResult[] = inputs.map((input) => {
        const r = byId.get(input.requestId);
        const record: PropertyRecord | null = r?.record ?? null;
        return {
          requestId: input.requestId,
          matched: (r?.matched ?? false) && record !== null,
          billableUnits: r?.billableUnits ?? 0,
          persons: [],
          rawItem: r?.rawItem ?? null,
          ...(record ? { extra: record } : {}),
        };
      });
      return { statusCode: 200, durationMs, items };
    },
  };
}
