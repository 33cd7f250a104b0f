/**
 * What the contract suite expects of every recorded payload in test/fixtures/: per fixture,
 * the HTTP status it was recorded with and, per provider that can receive it, the outcome.
 * `expect` is what the adapter makes of it (replayed over its HTTP path with that status);
 * `read` is what `leadtrace providers parse` makes of the body alone (read as a 200), given
 * only where the two differ. Outcomes are in the Diagnosis form (diagnosers.ts).
 */
import type { ProviderErrorCode } from '../../src/providers/errors.js';

export type Outcome =
  | {
      matched: boolean;
      billableUnits: number;
      persons: number;
      /** Every phone number of every person, in order. */
      phones: string[];
      /** Every email address of every person, in order. */
      emails: string[];
    }
  | { error: ProviderErrorCode };

export interface FixtureCase {
  status: number;
  expect: Record<string, Outcome>;
  read?: Record<string, Outcome>;
}

const ok = (
  matched: boolean,
  billableUnits: number,
  persons: number,
  phones: string[] = [],
  emails: string[] = [],
): Outcome => ({ matched, billableUnits, persons, phones, emails });
const fails = (error: ProviderErrorCode): Outcome => ({ error });
const each = (ids: string[], outcome: Outcome): Record<string, Outcome> =>
  Object.fromEntries(ids.map((id) => [id, outcome]));

/** Every file under test/fixtures/, keyed by its path there. */
export const FIXTURE_CASES: Record<string, FixtureCase> = {
  'apollo/all-misses.json': { status: 200, expect: { 'apollo-bulk-match': ok(false, 0, 0) } },
  'apollo/body-error.json': { status: 200, expect: { 'apollo-bulk-match': fails('quota_exhausted') } },
  'apollo/bulk-match.json': {
    status: 200,
    expect: {
      'apollo-bulk-match': ok(
        true,
        10,
        2,
        ['+14155550123'],
        ['tim@acme.example.com', 'dana.mockford@globex.example.org'],
      ),
    },
  },
  'apollo/drift-webhook-people.json': {
    status: 200,
    expect: { 'apollo-bulk-match': fails('unrecognized_response') },
  },
  'apollo/error-403-free-plan.json': { status: 403, expect: { 'apollo-bulk-match': fails('auth') } },
  'batchdata/drift.json': { status: 200, expect: { batchdata: fails('unrecognized_response') } },
  'batchdata/error-403.json': { status: 403, expect: { batchdata: fails('auth') } },
  'batchdata/v1-200-with-401-body.json': { status: 200, expect: { batchdata: fails('auth') } },
  'batchdata/v1-all-errors.json': { status: 200, expect: { batchdata: fails('server_error') } },
  'batchdata/v1-hit.json': {
    status: 200,
    expect: { batchdata: ok(true, 1, 1, ['5165550101', '5165550102'], ['jdoe@example.com']) },
  },
  'batchdata/v1-multi-person.json': {
    status: 200,
    expect: {
      batchdata: ok(
        true,
        2,
        3,
        ['2175550110', '2175550111', '2175550112', '4015550120', '4015550121'],
        ['mary.sample@example.org', 'linda.tester@example.net', 'ltester77@example.com'],
      ),
    },
  },
  'batchdata/v1-no-match-toronto.json': { status: 200, expect: { batchdata: ok(false, 0, 0) } },
  'batchdata/v3-hit.json': {
    status: 200,
    expect: {
      batchdata: ok(
        true,
        1,
        2,
        ['5165550101', '5165550102', '5165550103'],
        ['john.doe@example.com', 'jane.doe@example.net'],
      ),
    },
  },
  'batchdata/v3-no-match.json': { status: 200, expect: { batchdata: ok(false, 0, 0) } },
  'batchdata/phone/all-errors.json': {
    status: 200,
    expect: { 'batchdata-phone-verification': fails('server_error') },
  },
  'batchdata/phone/body-401.json': { status: 200, expect: { 'batchdata-phone-verification': fails('auth') } },
  'batchdata/phone/dnc.json': {
    status: 200,
    expect: { 'batchdata-phone-dnc': ok(true, 2, 1, ['2125550101', '3125550142'], []) },
  },
  'batchdata/phone/drift.json': {
    status: 200,
    expect: {
      ...each(
        ['batchdata-phone-verification', 'batchdata-phone-dnc', 'batchdata-phone-tcpa'],
        fails('unrecognized_response'),
      ),
    },
  },
  'batchdata/phone/error-403-insufficient-balance.json': {
    status: 403,
    expect: { 'batchdata-phone-dnc': fails('auth') },
  },
  'batchdata/phone/error-403-permission.json': {
    status: 403,
    expect: { 'batchdata-phone-tcpa': fails('auth') },
  },
  'batchdata/phone/tcpa.json': {
    status: 200,
    expect: { 'batchdata-phone-tcpa': ok(true, 2, 1, ['2125550101', '3125550142'], []) },
  },
  // Body alone: the numbers it answers are taken as the ones asked (the per-vendor test
  // checks that a request for other numbers fails closed).
  'batchdata/phone/unrelated-numbers.json': {
    status: 200,
    expect: { 'batchdata-phone-dnc': ok(true, 1, 1, ['9995550100'], []) },
  },
  'batchdata/phone/verification-reordered.json': {
    status: 200,
    expect: {
      'batchdata-phone-verification': ok(true, 3, 1, ['6175550123', '2125550188', '9995550100'], []),
    },
  },
  'batchdata/phone/verification.json': {
    status: 200,
    expect: { 'batchdata-phone-verification': ok(true, 3, 1, ['2125550101', '3125550142'], []) },
  },
  'hunter/domain-search-empty.json': { status: 200, expect: { 'hunter-domain-search': ok(false, 0, 0) } },
  'hunter/domain-search.json': {
    status: 200,
    expect: {
      'hunter-domain-search': ok(
        true,
        1,
        2,
        ['+12125550150'],
        ['patricia@acme.example.com', 'info@acme.example.com'],
      ),
    },
  },
  'hunter/drift.json': {
    status: 200,
    expect: { ...each(['hunter-domain-search', 'hunter-email-verifier'], fails('unrecognized_response')) },
  },
  'hunter/email-verifier-accept-all.json': {
    status: 200,
    expect: { 'hunter-email-verifier': ok(true, 1, 1, [], ['sales@catchall.example.com']) },
  },
  // Disposable: a verdict Hunter does not bill, and no deliverable address.
  'hunter/email-verifier-disposable.json': {
    status: 200,
    expect: { 'hunter-email-verifier': ok(true, 0, 0) },
  },
  'hunter/email-verifier-invalid.json': { status: 200, expect: { 'hunter-email-verifier': ok(true, 1, 0) } },
  'hunter/email-verifier-new-status.json': {
    status: 200,
    expect: { 'hunter-email-verifier': fails('unrecognized_response') },
  },
  'hunter/email-verifier-unknown.json': { status: 200, expect: { 'hunter-email-verifier': ok(false, 0, 0) } },
  'hunter/email-verifier-valid.json': {
    status: 200,
    expect: { 'hunter-email-verifier': ok(true, 1, 1, [], ['patricia@acme.example.com']) },
  },
  'hunter/error-400-wrong-params.json': {
    status: 400,
    expect: { ...each(['hunter-domain-search', 'hunter-email-verifier'], fails('invalid_request')) },
  },
  'hunter/error-401.json': {
    status: 401,
    expect: { ...each(['hunter-domain-search', 'hunter-email-verifier'], fails('auth')) },
  },
  'hunter/error-403-rate-limit.json': {
    status: 403,
    expect: { ...each(['hunter-domain-search', 'hunter-email-verifier'], fails('rate_limited')) },
  },
  'hunter/error-429-usage-limit.json': {
    status: 429,
    expect: { ...each(['hunter-domain-search', 'hunter-email-verifier'], fails('quota_exhausted')) },
  },
  'melissa/address-error.json': { status: 200, expect: { 'melissa-personator': ok(false, 1, 0) } },
  'melissa/drift.json': { status: 200, expect: { 'melissa-personator': fails('unrecognized_response') } },
  'melissa/license-error.json': { status: 200, expect: { 'melissa-personator': fails('auth') } },
  // Same: the reference it echoes is taken as the one sent.
  'melissa/other-reference.json': { status: 200, expect: { 'melissa-personator': ok(false, 1, 0) } },
  'melissa/phone-error.json': {
    status: 200,
    expect: { 'melissa-personator': ok(true, 1, 1, [], ['robert.notreal@example.net']) },
  },
  'melissa/server-error.json': { status: 200, expect: { 'melissa-personator': fails('server_error') } },
  'melissa/verified-appended.json': {
    status: 200,
    expect: { 'melissa-personator': ok(true, 1, 1, ['3125550147'], ['mary.sampleton@example.org']) },
  },
  'melissa/verified-no-contact.json': { status: 200, expect: { 'melissa-personator': ok(false, 1, 0) } },
  'realestateapi/detail-200-empty-data.json': {
    status: 200,
    expect: { 'realestateapi-property-detail': ok(false, 0, 0) },
  },
  'realestateapi/detail-body-404-in-200.json': {
    status: 200,
    expect: { 'realestateapi-property-detail': ok(false, 0, 0) },
  },
  'realestateapi/detail-company-foreclosure.json': {
    status: 200,
    expect: { 'realestateapi-property-detail': ok(true, 1, 1) },
  },
  'realestateapi/detail-hit.json': {
    status: 200,
    expect: { 'realestateapi-property-detail': ok(true, 1, 2) },
  },
  'realestateapi/detail-not-found-address.json': {
    status: 404,
    expect: { 'realestateapi-property-detail': ok(false, 0, 0) },
  },
  'realestateapi/detail-not-found-street.json': {
    status: 404,
    expect: { 'realestateapi-property-detail': ok(false, 0, 0) },
  },
  'realestateapi/detail-trust-other.json': {
    status: 200,
    expect: { 'realestateapi-property-detail': ok(true, 1, 1) },
  },
  'realestateapi/drift.json': {
    status: 200,
    expect: {
      ...each(
        ['realestateapi-skiptrace', 'realestateapi-property-detail', 'realestateapi-property-search'],
        fails('unrecognized_response'),
      ),
    },
  },
  'realestateapi/error-400-detail-house-missing-zip.json': {
    status: 400,
    expect: { 'realestateapi-property-detail': fails('invalid_request') },
  },
  'realestateapi/error-400-detail-no-input.json': {
    status: 400,
    expect: { 'realestateapi-property-detail': fails('invalid_request') },
  },
  'realestateapi/error-400-detail-zip-length.json': {
    status: 400,
    expect: { 'realestateapi-property-detail': fails('invalid_request') },
  },
  'realestateapi/error-400-skiptrace.json': {
    status: 400,
    expect: { 'realestateapi-skiptrace': fails('invalid_request') },
  },
  'realestateapi/error-401.json': {
    status: 401,
    expect: {
      ...each(
        ['realestateapi-skiptrace', 'realestateapi-property-detail', 'realestateapi-property-search'],
        fails('auth'),
      ),
    },
  },
  'realestateapi/error-429-daily-credit-limit.json': {
    status: 429,
    expect: {
      ...each(
        ['realestateapi-skiptrace', 'realestateapi-property-detail', 'realestateapi-property-search'],
        fails('quota_exhausted'),
      ),
    },
  },
  'realestateapi/error-429-rate-limit.json': {
    status: 429,
    expect: {
      ...each(
        ['realestateapi-skiptrace', 'realestateapi-property-detail', 'realestateapi-property-search'],
        fails('rate_limited'),
      ),
    },
  },
  'realestateapi/error-500.json': {
    status: 500,
    expect: {
      ...each(
        ['realestateapi-skiptrace', 'realestateapi-property-detail', 'realestateapi-property-search'],
        fails('server_error'),
      ),
    },
  },
  'realestateapi/route-not-found.json': {
    status: 404,
    expect: {
      ...each(
        ['realestateapi-skiptrace', 'realestateapi-property-detail', 'realestateapi-property-search'],
        fails('invalid_request'),
      ),
    },
  },
  'realestateapi/search-count.json': {
    status: 200,
    expect: { 'realestateapi-property-search': ok(false, 0, 0) },
  },
  'realestateapi/search-empty.json': {
    status: 200,
    expect: { 'realestateapi-property-search': ok(false, 0, 0) },
  },
  'realestateapi/search-ids-only-nested.json': {
    status: 200,
    expect: { 'realestateapi-property-search': ok(true, 0, 0) },
  },
  // ids_only pulls are free: matched ids, nothing billed.
  'realestateapi/search-ids-only.json': {
    status: 200,
    expect: { 'realestateapi-property-search': ok(true, 0, 0) },
  },
  'realestateapi/search-last-page.json': {
    status: 200,
    expect: { 'realestateapi-property-search': ok(true, 1, 1) },
  },
  'realestateapi/search-page.json': {
    status: 200,
    expect: { 'realestateapi-property-search': ok(true, 2, 3) },
  },
  'realestateapi/search-record-count-mismatch.json': {
    status: 200,
    expect: { 'realestateapi-property-search': fails('unrecognized_response') },
  },
  'realestateapi/skiptrace-match-empty-identity.json': {
    status: 200,
    expect: { 'realestateapi-skiptrace': ok(true, 1, 1) },
  },
  'realestateapi/skiptrace-match-without-identity.json': {
    status: 200,
    expect: { 'realestateapi-skiptrace': fails('unrecognized_response') },
  },
  'realestateapi/skiptrace-match.json': {
    status: 200,
    expect: {
      'realestateapi-skiptrace': ok(true, 1, 1, ['3125550101', '3125550102'], ['jane.sample@example.com']),
    },
  },
  'realestateapi/skiptrace-no-match.json': {
    status: 200,
    expect: { 'realestateapi-skiptrace': ok(false, 0, 0) },
  },
  'reiskip/bare-strings.json': {
    status: 200,
    expect: { reiskip: ok(true, 1, 1, ['5125550150', '5125550151'], ['someone@example.com']) },
  },
  'reiskip/body-error-500.json': { status: 200, expect: { reiskip: fails('server_error') } },
  'reiskip/both-shapes.json': {
    status: 200,
    expect: { reiskip: ok(true, 1, 2, ['4045550140', '4045550141'], ['karen@example.com']) },
  },
  'reiskip/drift.json': { status: 200, expect: { reiskip: fails('unrecognized_response') } },
  'reiskip/empty-matches.json': { status: 200, expect: { reiskip: ok(false, 0, 0) } },
  // REISkip error bodies carry no status: only the HTTP status makes them errors, so the
  // body alone (read as a 200) is an unknown shape.
  'reiskip/error-400.json': {
    status: 400,
    expect: { reiskip: fails('invalid_request') },
    read: { reiskip: fails('unrecognized_response') },
  },
  'reiskip/error-401.json': {
    status: 401,
    expect: { reiskip: fails('auth') },
    read: { reiskip: fails('unrecognized_response') },
  },
  'reiskip/error-429.json': {
    status: 429,
    expect: { reiskip: fails('rate_limited') },
    read: { reiskip: fails('unrecognized_response') },
  },
  'reiskip/error-nested.json': {
    status: 402,
    expect: { reiskip: fails('quota_exhausted') },
    read: { reiskip: fails('unrecognized_response') },
  },
  'reiskip/found-false.json': { status: 200, expect: { reiskip: ok(false, 0, 0) } },
  'reiskip/match-without-contacts.json': { status: 200, expect: { reiskip: ok(false, 0, 0) } },
  'reiskip/matches-camel.json': {
    status: 200,
    expect: {
      reiskip: ok(true, 1, 2, ['2125550101', '2125550102', '2125550103'], ['jane.sample@example.com']),
    },
  },
  'reiskip/matches-snake.json': {
    status: 200,
    expect: { reiskip: ok(true, 1, 1, ['3055550110', '3055550111'], ['mary.roe@example.org']) },
  },
  // A 404 with REISkip's body is an unbilled miss; read as a 200 it is an unknown shape.
  'reiskip/not-found-404.json': {
    status: 404,
    expect: { reiskip: ok(false, 0, 0) },
    read: { reiskip: fails('unrecognized_response') },
  },
  'reiskip/other-api-404.json': { status: 404, expect: { reiskip: fails('unrecognized_response') } },
  'reiskip/phone-without-number.json': { status: 200, expect: { reiskip: fails('unrecognized_response') } },
  'reiskip/top-level-camel.json': {
    status: 200,
    expect: { reiskip: ok(true, 1, 1, ['6175550120', '6175550121'], ['rfixture@example.net']) },
  },
  'reiskip/top-level-snake.json': {
    status: 200,
    expect: { reiskip: ok(true, 1, 1, ['7025550130', '7025550131'], ['linda.stubbs@example.com']) },
  },
  'twilio/drift.json': { status: 200, expect: { 'twilio-lookup': fails('unrecognized_response') } },
  'twilio/error-401.json': { status: 401, expect: { 'twilio-lookup': fails('auth') } },
  'twilio/error-404.json': { status: 404, expect: { 'twilio-lookup': fails('invalid_request') } },
  'twilio/error-429.json': { status: 429, expect: { 'twilio-lookup': fails('rate_limited') } },
  'twilio/lookup-canada-60601.json': {
    status: 200,
    expect: { 'twilio-lookup': ok(true, 1, 1, ['+16045550142'], []) },
  },
  // A verdict (invalid) that leaves no contact point, still billed: bills on miss.
  'twilio/lookup-invalid.json': { status: 200, expect: { 'twilio-lookup': ok(true, 1, 0) } },
  'twilio/lookup-mobile.json': {
    status: 200,
    expect: { 'twilio-lookup': ok(true, 1, 1, ['+12125550101'], []) },
  },
  'twilio/lookup-nonfixed-voip.json': {
    status: 200,
    expect: { 'twilio-lookup': ok(true, 1, 1, ['+14155550199'], []) },
  },
  'twilio/lookup-toll-free.json': {
    status: 200,
    expect: { 'twilio-lookup': ok(true, 1, 1, ['+18005550100'], []) },
  },
};
