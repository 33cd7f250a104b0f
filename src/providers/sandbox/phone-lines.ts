/**
 * What the sandbox "knows" about a phone number, for the phone-check vendors (BatchData
 * phone verification / DNC / TCPA, Twilio Lookup). Every fact is drawn from
 * sha256(10 digits + seed), so all vendors agree on the same number and every run agrees.
 *
 * Only fictional numbers (NPA-555-0100…0199, reserved for fiction) can be found: any other
 * number is answered not found / invalid, so the sandbox never vouches for a real line.
 */
import type { ResolvedSandboxOptions } from './options.js';
import { pick, randomFromText } from './prng.js';

export type SandboxLineType = 'mobile' | 'landline' | 'fixedVoip' | 'nonFixedVoip';

export interface PhoneLine {
  /** 10 digits (NANP, no +1), or null when the input is not a NANP number. */
  digits: string | null;
  /** NPA-555-01XX. */
  fictional: boolean;
  /** Not assigned / invalid: every other field is then meaningless. */
  notFound: boolean;
  lineType: SandboxLineType;
  carrier: string;
  dnc: boolean;
  tcpa: boolean;
  reachable: boolean;
  tested: boolean;
}

const CARRIERS: Record<SandboxLineType, readonly string[]> = {
  mobile: ['Verizon Wireless', 'T-Mobile USA', 'AT&T Mobility'],
  landline: ['AT&T', 'Verizon', 'Frontier'],
  fixedVoip: ['Bandwidth.com', 'Vonage'],
  nonFixedVoip: ['Twilio', 'Google Voice'],
};

const FICTIONAL = /^[2-9]\d{2}55501\d{2}$/;

/** 10 digits of a NANP number given as E.164, 11 digits with a leading 1, or 10 digits. */
export function nanpDigits(number: string): string | null {
  const trimmed = number.trim();
  if (trimmed.startsWith('+') && !trimmed.startsWith('+1')) return null;
  const digits = trimmed.replace(/\D/g, '');
  const ten = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
  return /^[2-9]\d{9}$/.test(ten) ? ten : null;
}

export function isFictionalNumber(digits: string): boolean {
  return FICTIONAL.test(digits);
}

export function describePhoneLine(number: string, options: ResolvedSandboxOptions): PhoneLine {
  const digits = nanpDigits(number);
  const fictional = digits !== null && isFictionalNumber(digits);
  const random = randomFromText(`phone|${digits ?? number}|${options.seed}`);
  // Fixed draw order: changing one rate never reshuffles the other facts of a number.
  const [invalidDraw, typeDraw, voipDraw, carrierDraw, dncDraw, tcpaDraw, reachDraw, testDraw] = [
    1, 2, 3, 4, 5, 6, 7, 8,
  ].map(() => random()) as [number, number, number, number, number, number, number, number];
  const lineType: SandboxLineType =
    typeDraw < options.mobileShare
      ? 'mobile'
      : typeDraw < options.mobileShare + (1 - options.mobileShare) * 0.75
        ? 'landline'
        : voipDraw < 0.5
          ? 'fixedVoip'
          : 'nonFixedVoip';
  return {
    digits,
    fictional,
    notFound: !fictional || invalidDraw < options.phoneInvalidRate,
    lineType,
    carrier: pick(() => carrierDraw, CARRIERS[lineType]),
    dnc: dncDraw < options.dncRate,
    tcpa: tcpaDraw < options.tcpaRate,
    reachable: reachDraw < 0.85,
    tested: testDraw < 0.6,
  };
}
