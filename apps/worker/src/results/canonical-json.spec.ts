import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('gives the same bytes for the same value whatever order its keys were built in', () => {
    const first = canonicalJson({ b: 1, a: { d: [{ y: 2, x: 1 }], c: null } });
    const second = canonicalJson({ a: { c: null, d: [{ x: 1, y: 2 }] }, b: 1 });
    expect(first).toBe(second);
    expect(first).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "x": 1,\n        "y": 2\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('keeps array order and leaves out undefined fields, as JSON does', () => {
    expect(JSON.parse(canonicalJson({ list: [3, 1, 2], gone: undefined }))).toEqual({ list: [3, 1, 2] });
  });
});
