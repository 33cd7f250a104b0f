/**
 * Keys for company sites: the normalized domain a site is unique by, and the company-name
 * key that links a corporate-owned lead (owner_company) to a site (name). Pure.
 */

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * "HTTPS://www.Acme.com/about" → "acme.com": lower case, no scheme, port, path or `www.`,
 * no trailing dot. Null when what is left is not a domain name.
 */
export function normalizeSiteDomain(input: string): string | null {
  const host = input
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d+$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  return DOMAIN.test(host) ? host : null;
}

/**
 * Legal-form words dropped at the end of a company name, so "Acme Holdings, L.L.C." and
 * "ACME HOLDINGS LLC" meet. Only trailing words are dropped ("The LLC Store" keeps its LLC).
 */
const LEGAL_FORMS = new Set([
  'llc',
  'lc',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'lp',
  'llp',
  'lllp',
  'pllc',
  'plc',
  'pc',
  'pa',
]);

/**
 * The matching key of a company name: lower case, `&` read as "and", dots removed
 * (L.L.C. → llc), other punctuation as spaces, a leading "the" and trailing legal-form
 * words dropped. Null when nothing distinctive is left (e.g. "LLC").
 */
export function companyNameKey(name: string | null | undefined): string | null {
  if (!name) return null;
  const words = name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\./g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (words[0] === 'the') words.shift();
  while (words.length > 0 && LEGAL_FORMS.has(words[words.length - 1]!)) words.pop();
  return words.length > 0 ? words.join(' ') : null;
}

/** Owner types whose lead is a company that can have a site (DATA-MODEL.md owner_type). */
export const CORPORATE_OWNER_TYPES: readonly string[] = ['llc', 'corporate'];

export function isCorporateOwner(ownerType: string | null | undefined): boolean {
  return ownerType !== null && ownerType !== undefined && CORPORATE_OWNER_TYPES.includes(ownerType);
}
