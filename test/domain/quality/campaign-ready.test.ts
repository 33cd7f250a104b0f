import { describe, expect, it } from 'vitest';
import {
  compareCampaignReady,
  isCampaignReady,
  type CampaignOrderKey,
  type CampaignReadyCandidate,
} from '../../../src/domain/quality/campaign-ready.js';

const ready: CampaignReadyCandidate = {
  quality_status: 'contactable',
  quality_score: 60,
  added_to_campaign_at: null,
  status: 'new',
};

describe('isCampaignReady (seed 001 vw_campaign_ready_leads)', () => {
  it('accepts a contactable lead at score 60, not yet in a campaign', () => {
    expect(isCampaignReady(ready)).toBe(true);
    expect(isCampaignReady({ ...ready, quality_score: 100 })).toBe(true);
  });

  it('treats a missing added_to_campaign_at as null', () => {
    const { added_to_campaign_at: _omit, ...withoutColumn } = ready;
    expect(isCampaignReady(withoutColumn)).toBe(true);
  });

  it('rejects a lead already added to a campaign', () => {
    expect(isCampaignReady({ ...ready, added_to_campaign_at: '2026-03-01T00:00:00.000Z' })).toBe(false);
  });

  it('rejects scores below 60 or missing, even when the status says contactable', () => {
    expect(isCampaignReady({ ...ready, quality_score: 59 })).toBe(false);
    expect(isCampaignReady({ ...ready, quality_score: null })).toBe(false);
  });

  it('rejects enriched, do_not_contact and unscored leads', () => {
    expect(isCampaignReady({ ...ready, quality_status: 'enriched' })).toBe(false);
    expect(isCampaignReady({ ...ready, quality_status: 'do_not_contact' })).toBe(false);
    expect(isCampaignReady({ ...ready, quality_status: null })).toBe(false);
  });

  it('rejects lost and closed leads; other lifecycle statuses pass', () => {
    expect(isCampaignReady({ ...ready, status: 'lost' })).toBe(false);
    expect(isCampaignReady({ ...ready, status: 'closed' })).toBe(false);
    expect(isCampaignReady({ ...ready, status: 'contacted' })).toBe(true);
    expect(isCampaignReady({ ...ready, status: 'qualified' })).toBe(true);
  });
});

describe('compareCampaignReady', () => {
  it('orders by quality_score desc, then first_seen_at asc, then id', () => {
    const rows: (CampaignOrderKey & { id: string })[] = [
      { id: 'a', quality_score: 70, first_seen_at: '2026-01-03T00:00:00.000Z' },
      { id: 'b', quality_score: 100, first_seen_at: '2026-01-05T00:00:00.000Z' },
      { id: 'c', quality_score: 70, first_seen_at: '2026-01-01T00:00:00.000Z' },
      { id: 'e', quality_score: 60, first_seen_at: '2026-01-02T00:00:00.000Z' },
      { id: 'd', quality_score: 60, first_seen_at: '2026-01-02T00:00:00.000Z' },
      { id: 'f', quality_score: null, first_seen_at: '2025-01-01T00:00:00.000Z' },
    ];
    expect([...rows].sort(compareCampaignReady).map((r) => r.id)).toEqual(['b', 'c', 'a', 'd', 'e', 'f']);
  });

  it('is 0 for equal keys without ids', () => {
    const k = { quality_score: 80, first_seen_at: '2026-01-01T00:00:00.000Z' };
    expect(compareCampaignReady(k, { ...k })).toBe(0);
  });
});
