import { KnownStreamHeads } from './known-stream-heads';

describe('KnownStreamHeads', () => {
  it('answers only for the exact version it knows', () => {
    const heads = new KnownStreamHeads();
    heads.remember('s', { version: 3, hash: 'h3' });

    expect(heads.at('s', 3)).toEqual({ version: 3, hash: 'h3' });
    expect(heads.at('s', 2)).toBeUndefined();
    expect(heads.at('s', 4)).toBeUndefined();
    expect(heads.at('other', 3)).toBeUndefined();
  });

  it('keeps the later head when appends report out of order', () => {
    const heads = new KnownStreamHeads();
    heads.remember('s', { version: 5, hash: 'h5' });
    heads.remember('s', { version: 4, hash: 'h4' });

    expect(heads.at('s', 5)).toEqual({ version: 5, hash: 'h5' });
  });

  it('forgets the least recently used stream beyond its capacity', () => {
    const heads = new KnownStreamHeads(2);
    heads.remember('a', { version: 1, hash: 'a1' });
    heads.remember('b', { version: 1, hash: 'b1' });
    heads.at('a', 1);
    heads.remember('c', { version: 1, hash: 'c1' });

    expect(heads.at('b', 1)).toBeUndefined();
    expect(heads.at('a', 1)).toEqual({ version: 1, hash: 'a1' });
    expect(heads.at('c', 1)).toEqual({ version: 1, hash: 'c1' });
  });
});
