/**
 * A lead's time zone from its state and ZIP, so a dialer can respect calling hours.
 *
 * This is a majority zone per state plus the known ZIP exceptions — not a substitute for a
 * carrier-grade (county/ZIP+4) database. Rules:
 * - One zone per state: the zone most of its people live in.
 * - A 3-digit ZIP prefix is listed only where the whole prefix lies in the state's minority
 *   zone (FL 324/325, TX 799, TN 374/376–379, KY 420–424, IN 463/464/476/477, ID 835/838,
 *   NE 693, SD 577, ND 586, OR 979). Mixed prefixes fall back to the majority zone, except
 *   for a few 5-digit ZIPs of towns known to sit across the line (El Paso suburbs, the four
 *   Central-time Michigan UP counties, western Kansas and Nebraska, Adak and Atka, West
 *   Wendover NV, Port St. Joe FL). A 5-digit exception wins over a 3-digit one.
 * - Known gaps, on purpose: the Navajo Nation in Arizona observes DST (we say
 *   America/Phoenix for all of AZ); unofficial local practice (Phenix City AL, Kenton OK,
 *   Jackpot NV) is ignored; split counties not listed above get the majority zone.
 * - Zones are the canonical zone of each current rule set (America/New_York for Detroit,
 *   Louisville and Indianapolis; America/Denver for Boise), which observe identical rules
 *   today: fewer distinct values for a dialer to group by, same local clock.
 * - Territories have their own zones; military mail (AA, AE, AP) and unknown or missing
 *   states give null — no zone is better than a wrong one.
 */
import { normalizeState } from '../address/states.js';

const EASTERN = 'America/New_York';
const CENTRAL = 'America/Chicago';
const MOUNTAIN = 'America/Denver';
const ARIZONA = 'America/Phoenix';
const PACIFIC = 'America/Los_Angeles';
const ALASKA = 'America/Anchorage';
const ALEUTIAN = 'America/Adak';
const HAWAII = 'Pacific/Honolulu';

interface StateZones {
  /** Majority zone; null where no zone can be given (military mail). */
  zone: string | null;
  /** ZIP3 prefixes wholly in another zone. */
  zip3?: Readonly<Record<string, string>>;
  /** Single ZIPs in another zone inside a mixed prefix; checked before zip3. */
  zip5?: Readonly<Record<string, string>>;
}

const ZONES_BY_STATE: Readonly<Record<string, StateZones>> = {
  AL: { zone: CENTRAL },
  AK: { zone: ALASKA, zip5: { '99546': ALEUTIAN, '99547': ALEUTIAN } }, // Adak, Atka
  AZ: { zone: ARIZONA }, // no DST; Navajo Nation (which observes DST) ignored
  AR: { zone: CENTRAL },
  CA: { zone: PACIFIC },
  CO: { zone: MOUNTAIN },
  CT: { zone: EASTERN },
  DE: { zone: EASTERN },
  DC: { zone: EASTERN },
  FL: {
    zone: EASTERN,
    zip3: { '324': CENTRAL, '325': CENTRAL }, // Panama City, Pensacola: west of the Apalachicola
    zip5: { '32456': EASTERN }, // Port St. Joe: Gulf County's Eastern half, inside 324
  },
  GA: { zone: EASTERN },
  HI: { zone: HAWAII },
  ID: { zone: MOUNTAIN, zip3: { '835': PACIFIC, '838': PACIFIC } }, // Lewiston, Coeur d'Alene
  IL: { zone: CENTRAL },
  IN: {
    zone: EASTERN,
    // Gary/Hammond (northwest) and Evansville (southwest).
    zip3: { '463': CENTRAL, '464': CENTRAL, '476': CENTRAL, '477': CENTRAL },
  },
  IA: { zone: CENTRAL },
  KS: {
    zone: CENTRAL,
    // Sherman, Wallace, Greeley, Hamilton counties: Goodland, Sharon Springs, Syracuse, Tribune.
    zip5: { '67735': MOUNTAIN, '67758': MOUNTAIN, '67878': MOUNTAIN, '67879': MOUNTAIN },
  },
  KY: {
    zone: EASTERN,
    // Western Kentucky: Paducah, Bowling Green, Hopkinsville, Owensboro, Henderson.
    zip3: { '420': CENTRAL, '421': CENTRAL, '422': CENTRAL, '423': CENTRAL, '424': CENTRAL },
  },
  LA: { zone: CENTRAL },
  ME: { zone: EASTERN },
  MD: { zone: EASTERN },
  MA: { zone: EASTERN },
  MI: {
    zone: EASTERN,
    // Gogebic, Iron, Dickinson, Menominee counties (UP, on the Wisconsin line).
    zip5: {
      '49801': CENTRAL, // Iron Mountain
      '49802': CENTRAL, // Kingsford
      '49858': CENTRAL, // Menominee
      '49870': CENTRAL, // Norway
      '49911': CENTRAL, // Bessemer
      '49920': CENTRAL, // Crystal Falls
      '49935': CENTRAL, // Iron River
      '49938': CENTRAL, // Ironwood
      '49968': CENTRAL, // Wakefield
    },
  },
  MN: { zone: CENTRAL },
  MS: { zone: CENTRAL },
  MO: { zone: CENTRAL },
  MT: { zone: MOUNTAIN },
  NE: {
    zone: CENTRAL,
    zip3: { '693': MOUNTAIN }, // Scottsbluff, Alliance, Chadron (panhandle)
    zip5: { '69145': MOUNTAIN, '69153': MOUNTAIN, '69162': MOUNTAIN }, // Kimball, Ogallala, Sidney
  },
  NV: { zone: PACIFIC, zip5: { '89883': MOUNTAIN } }, // West Wendover
  NH: { zone: EASTERN },
  NJ: { zone: EASTERN },
  NM: { zone: MOUNTAIN },
  NY: { zone: EASTERN },
  NC: { zone: EASTERN },
  ND: { zone: CENTRAL, zip3: { '586': MOUNTAIN } }, // Dickinson (southwest)
  OH: { zone: EASTERN },
  OK: { zone: CENTRAL },
  OR: { zone: PACIFIC, zip3: { '979': MOUNTAIN } }, // Ontario, Malheur County
  PA: { zone: EASTERN },
  RI: { zone: EASTERN },
  SC: { zone: EASTERN },
  SD: { zone: CENTRAL, zip3: { '577': MOUNTAIN } }, // Rapid City (West River)
  TN: {
    zone: CENTRAL, // Nashville and Memphis; 373 (Cleveland/Tullahoma) is mixed, so Central
    zip3: { '374': EASTERN, '376': EASTERN, '377': EASTERN, '378': EASTERN, '379': EASTERN },
  },
  TX: {
    zone: CENTRAL,
    zip3: { '799': MOUNTAIN }, // El Paso
    // El Paso and Hudspeth county towns inside 798, which is otherwise Central (Alpine, Marfa).
    zip5: {
      '79821': MOUNTAIN, // Anthony
      '79835': MOUNTAIN, // Canutillo
      '79836': MOUNTAIN, // Clint
      '79838': MOUNTAIN, // Fabens
      '79839': MOUNTAIN, // Fort Hancock
      '79849': MOUNTAIN, // San Elizario
      '79851': MOUNTAIN, // Sierra Blanca
      '79853': MOUNTAIN, // Tornillo
    },
  },
  UT: { zone: MOUNTAIN },
  VT: { zone: EASTERN },
  VA: { zone: EASTERN },
  WA: { zone: PACIFIC },
  WV: { zone: EASTERN },
  WI: { zone: CENTRAL },
  WY: { zone: MOUNTAIN },
  // Territories and freely associated states with USPS addresses.
  PR: { zone: 'America/Puerto_Rico' },
  VI: { zone: 'America/St_Thomas' },
  GU: { zone: 'Pacific/Guam' },
  AS: { zone: 'Pacific/Pago_Pago' },
  MP: { zone: 'Pacific/Saipan' },
  PW: { zone: 'Pacific/Palau' },
  MH: { zone: 'Pacific/Majuro' },
  FM: { zone: 'Pacific/Chuuk', zip5: { '96941': 'Pacific/Pohnpei', '96944': 'Pacific/Kosrae' } },
  // Military mail: the addressee can be anywhere.
  AA: { zone: null },
  AE: { zone: null },
  AP: { zone: null },
};

const ZIP5 = /^\s*(\d{5})(?:\D|$)/;

/**
 * IANA zone for a state (code or name, any case) and an optional ZIP ("32501" or
 * "32501-1234"); null for military mail or an unknown/missing state. A missing or
 * malformed ZIP gives the state's majority zone.
 */
export function timeZoneFor(state: string | null, zip5: string | null): string | null {
  const code = normalizeState(state);
  if (code === null) return null;
  const rules = ZONES_BY_STATE[code];
  if (!rules) return null;
  const zip = zip5 === null ? undefined : ZIP5.exec(zip5)?.[1];
  if (zip !== undefined) {
    const exception = rules.zip5?.[zip] ?? rules.zip3?.[zip.slice(0, 3)];
    if (exception !== undefined) return exception;
  }
  return rules.zone;
}

/** Every zone `timeZoneFor` can return (for validation and tests). */
export const KNOWN_ZONES: ReadonlySet<string> = new Set(
  Object.values(ZONES_BY_STATE).flatMap((r) => [
    ...(r.zone === null ? [] : [r.zone]),
    ...Object.values(r.zip3 ?? {}),
    ...Object.values(r.zip5 ?? {}),
  ]),
);

/** Local wall-clock window, "HH:MM" 24-hour; start inclusive, end exclusive. */
export interface CallingWindow {
  start: string;
  end: string;
}

const TCPA_WINDOW: CallingWindow = { start: '08:00', end: '21:00' };

/**
 * The federal TCPA window, 8 a.m. to 9 p.m. at the called party's location. The zone
 * parameter is where stricter state windows (e.g. Florida's 8 p.m. end) would plug in;
 * today every zone gets the federal window.
 */
export function callingWindow(_zone: string): CallingWindow {
  return { ...TCPA_WINDOW };
}

/**
 * True when the instant `atIso` falls inside the calling window in `zone`: local time at or
 * after 08:00 and before 21:00 (9 p.m. itself is outside — "not after 9 p.m." read
 * conservatively). DST is handled by Intl with the given instant, so nothing here reads the
 * clock. A null zone (unknown location) is never within hours. Throws RangeError for an
 * unparsable time or an unknown zone: both are bugs, not data.
 */
export function isWithinCallingHours(zone: string | null, atIso: string): boolean {
  if (zone === null) return false;
  const window = callingWindow(zone);
  const local = localTime(zone, atIso);
  return local >= window.start && local < window.end;
}

/** "HH:MM" (24-hour, "00".."23") wall-clock time in `zone` at the instant `atIso`. */
export function localTime(zone: string, atIso: string): string {
  const ms = Date.parse(atIso);
  if (Number.isNaN(ms)) throw new RangeError(`atIso is not an ISO-8601 time: ${JSON.stringify(atIso)}`);
  let hour = '';
  let minute = '';
  for (const part of formatterFor(zone).formatToParts(ms)) {
    if (part.type === 'hour') hour = part.value;
    else if (part.type === 'minute') minute = part.value;
  }
  return `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
}

// Building an Intl formatter is costly and exports call this per row; the cache holds only
// immutable formatters keyed by zone, so results stay a pure function of the arguments.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = FORMATTERS.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    FORMATTERS.set(zone, formatter);
  }
  return formatter;
}
