import { parsePriceOverrides, PriceTable } from './price-table';

describe('PriceTable', () => {
  it('prices a model by the longest known name it starts with', () => {
    const prices = new PriceTable();
    expect(prices.priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(prices.priceOf('gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(prices.priceOf('claude-3-5-haiku-latest')).toEqual({ input: 0.8, output: 4 });
    expect(prices.priceOf('llama-3')).toBeUndefined();
  });

  it('costs input and output tokens at their own prices per million', () => {
    const prices = new PriceTable();
    // 12,000 * 0.15 / 1M + 3,000 * 0.6 / 1M = 0.0018 + 0.0018
    expect(prices.costOf('gpt-4o-mini', { inputTokens: 12_000, outputTokens: 3_000 })).toBeCloseTo(
      0.0036,
      10,
    );
    expect(() => prices.costOf('llama-3', { inputTokens: 1, outputTokens: 1 })).toThrow(
      'add it to LLM_PRICES',
    );
  });

  it('lets configured prices override and extend the defaults', () => {
    const prices = new PriceTable(
      parsePriceOverrides('{"gpt-4o-mini": {"input": 1, "output": 2}, "llama-3": {"input": 0, "output": 0}}'),
    );
    expect(prices.costOf('gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 500_000 })).toBe(2);
    expect(prices.costOf('llama-3', { inputTokens: 10, outputTokens: 10 })).toBe(0);
  });

  it('refuses price overrides that are not a table of prices', () => {
    expect(() => parsePriceOverrides('[1]')).toThrow('must be a JSON object');
    expect(() => parsePriceOverrides('{oops')).toThrow('must be a JSON object');
    expect(() => parsePriceOverrides('{"m": {"input": 1}}')).toThrow('"m" needs "input" and "output" prices');
    expect(parsePriceOverrides(undefined)).toEqual({});
  });
});
