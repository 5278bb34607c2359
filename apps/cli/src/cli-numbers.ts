import { InvalidArgumentError } from 'commander';

/** A commander parser for whole numbers of at least `min` (a usage error otherwise). */
export function positiveInteger(name: string, min = 1): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    }
    return Number(value);
  };
}
