/**
 * The providers leadtrace uses by default, named here, beside the registry, because no code
 * outside src/providers names a provider:
 *   - the default waterfall (pipeline/waterfall-policy.ts DEFAULT_WATERFALL): BatchData for
 *     skip-trace (the main job), RealEstateAPI property detail for leads that have only a
 *     vendor property id;
 *   - `compliance rescrub` (runs/compliance-rescrub.ts): BatchData's DNC and TCPA checks.
 */
export const DEFAULT_STAGE_PROVIDERS = {
  property_detail: ['realestateapi-property-detail'],
  skip_trace: ['batchdata'],
  compliance_rescrub: ['batchdata-phone-dnc', 'batchdata-phone-tcpa'],
} as const;
