/** Phone line types in our words (vendors' spellings are mapped in their adapters). */
export type PhoneLineType = 'mobile' | 'landline' | 'voip' | 'unknown';
