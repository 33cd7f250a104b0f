/**
 * Twilio Lookup v2 wire format (vendors.md §6): GET /v2/PhoneNumbers/{PhoneNumber}
 * ?Fields=line_type_intelligence. The `line_type_intelligence` block is from a real answer
 * [SEEN-3P]; `phone_number`, `valid`, `validation_errors` are from the doc text [INFERRED
 * names]; the error body `{code, message, more_info, status}` is Twilio's usual [INFERRED].
 */
import { z } from 'zod';

const nullableString = z.string().nullish();

/** mobile, landline, fixedVoip, nonFixedVoip, tollFree, personal, premium, sharedCost, uan, voicemail, pager, unknown. */
export const twilioLineTypeIntelligenceSchema = z.looseObject({
  carrier_name: nullableString,
  type: nullableString,
  /** e.g. 60601 (Canada without NPAC approval): no line data for this number. */
  error_code: z.number().nullish(),
  mobile_country_code: nullableString,
  mobile_network_code: nullableString,
});

export const twilioLookupSchema = z.looseObject({
  phone_number: z.string(),
  valid: z.boolean().nullish(),
  validation_errors: z.array(z.string()).nullish(),
  country_code: nullableString,
  calling_country_code: nullableString,
  national_format: nullableString,
  line_type_intelligence: twilioLineTypeIntelligenceSchema.nullish(),
});
export type TwilioLookup = z.infer<typeof twilioLookupSchema>;

export const twilioErrorSchema = z.looseObject({
  code: z.number(),
  message: nullableString,
  more_info: nullableString,
  status: z.number(),
});
