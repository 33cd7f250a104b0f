/**
 * The providers the default waterfall uses (pipeline/waterfall-policy.ts DEFAULT_WATERFALL):
 * BatchData for skip-trace (the main job) and RealEstateAPI property detail for leads that
 * have only a vendor property id. Named here, beside the registry, because no code outside
 * src/providers names a provider.
 */
export const DEFAULT_STAGE_PROVIDERS = {
  property_detail: ['realestateapi-property-detail'],
  skip_trace: ['batchdata'],
} as const;
