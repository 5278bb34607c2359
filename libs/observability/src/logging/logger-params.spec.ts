import { redactQuery } from './logger-params';

describe('redactQuery', () => {
  it('hides credential parameters and keeps the others', () => {
    expect(redactQuery('/auth/verify?token=abc&next=%2Fjobs')).toBe(
      '/auth/verify?token=%5BREDACTED%5D&next=%2Fjobs',
    );
    expect(redactQuery('/downloads/1?exp=99&sig=deadbeef')).toBe('/downloads/1?exp=99&sig=%5BREDACTED%5D');
  });

  it('leaves urls without a query alone', () => {
    expect(redactQuery('/health/live')).toBe('/health/live');
    expect(redactQuery(undefined)).toBeUndefined();
  });
});
