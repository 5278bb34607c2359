import { ErrorCodes } from '@scriptripper/contracts';
import { dailyJobsRefusal, spendCapRefusal, transcriptSizeRefusal, type QuotaLimits } from './quota.policy';

const limits: QuotaLimits = {
  jobsPerDay: 3,
  transcriptBytes: 1_000,
  userDailySpendUsd: 1,
  totalDailySpendUsd: 10,
};
const now = new Date('2026-11-28T15:00:00Z');

describe('quota policy', () => {
  describe('transcript size', () => {
    it('allows a transcript of exactly the quota, refuses one byte more, naming both sizes', () => {
      expect(transcriptSizeRefusal(limits, 'user', [1_000])).toBeNull();
      const refusal = transcriptSizeRefusal(limits, 'user', [1_001]);
      expect(refusal).toMatchObject({ code: ErrorCodes.quotaExceeded, retryable: false });
      expect(refusal?.message).toBe(
        'the transcript is 1001 bytes, over the per-transcript quota of 1000 bytes',
      );
    });

    it("names a batch's failing item", () => {
      expect(transcriptSizeRefusal(limits, 'user', [10, 2_000, 20])?.message).toMatch(/^item 1: /);
    });

    it('exempts admins', () => {
      expect(transcriptSizeRefusal(limits, 'admin', [5_000])).toBeNull();
    });
  });

  describe('jobs per day', () => {
    it('allows up to the quota, refuses the next one with when it resets', () => {
      expect(dailyJobsRefusal(limits, 'user', { usedToday: 2, creating: 1 }, now)).toBeNull();
      const refusal = dailyJobsRefusal(limits, 'user', { usedToday: 3, creating: 1 }, now);
      expect(refusal).toMatchObject({ code: ErrorCodes.quotaExceeded, retryable: true });
      expect(refusal?.message).toBe(
        'you have reached the daily quota of 3 jobs (3 created today); it resets at 2026-11-29T00:00:00.000Z',
      );
    });

    it('counts a batch of N as N jobs, all or none', () => {
      expect(dailyJobsRefusal(limits, 'user', { usedToday: 0, creating: 3 }, now)).toBeNull();
      expect(dailyJobsRefusal(limits, 'user', { usedToday: 1, creating: 3 }, now)?.message).toMatch(
        /^these 3 jobs would pass the daily quota of 3 jobs \(1 created today\)/,
      );
    });

    it('exempts admins', () => {
      expect(dailyJobsRefusal(limits, 'admin', { usedToday: 99, creating: 1 }, now)).toBeNull();
    });
  });

  describe('spend caps', () => {
    it("refuses once the user's day's spend is at the cap (>=), not below it", () => {
      expect(spendCapRefusal(limits, 'user', { userUsd: 0.99, totalUsd: 0.99 }, now)).toBeNull();
      const refusal = spendCapRefusal(limits, 'user', { userUsd: 1, totalUsd: 1 }, now);
      expect(refusal).toMatchObject({ code: ErrorCodes.spendCapReached, retryable: true });
      expect(refusal?.message).toBe(
        'your daily LLM spend cap of $1.00 is reached ($1.00 spent today); it resets at 2026-11-29T00:00:00.000Z',
      );
    });

    it('refuses everything with a cap of 0, even with nothing spent', () => {
      expect(
        spendCapRefusal({ ...limits, userDailySpendUsd: 0 }, 'user', { userUsd: 0, totalUsd: 0 }, now),
      ).not.toBeNull();
    });

    it("binds everyone, admins too, to the platform's total cap", () => {
      expect(spendCapRefusal(limits, 'admin', { userUsd: 5, totalUsd: 9.5 }, now)).toBeNull();
      expect(spendCapRefusal(limits, 'admin', { userUsd: 5, totalUsd: 10 }, now)?.message).toMatch(
        /^the platform's daily LLM spend cap of \$10\.00 is reached/,
      );
    });

    it('has no cap when none is configured', () => {
      const uncapped = { ...limits, userDailySpendUsd: null, totalDailySpendUsd: null };
      expect(spendCapRefusal(uncapped, 'user', { userUsd: 1e6, totalUsd: 1e6 }, now)).toBeNull();
    });
  });
});
