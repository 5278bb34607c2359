import { describe, expect, it } from 'vitest';
import { apiFiltersOf } from './jobs-page';

describe('the jobs filters as the API takes them', () => {
  it('sends profile and batch as they are, and days as local midnight to the next local midnight', () => {
    const filters = apiFiltersOf({
      profile: 'talk',
      batch: '6f1c1e8e-3c1a-4a57-9d55-0d5b8c0f2a11',
      from: '2026-03-01',
      to: '2026-03-02',
    });
    expect(filters).toEqual({
      profile: 'talk',
      batch_id: '6f1c1e8e-3c1a-4a57-9d55-0d5b8c0f2a11',
      created_from: new Date(2026, 2, 1).toISOString(),
      created_to: new Date(2026, 2, 3).toISOString(),
    });
  });

  it('sends nothing for empty or impossible filters', () => {
    expect(apiFiltersOf({ profile: '', batch: '', from: '', to: '' })).toEqual({});
    expect(apiFiltersOf({ profile: '', batch: '', from: 'not-a-day', to: '' })).toEqual({});
  });
});
