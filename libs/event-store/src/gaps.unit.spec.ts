import { decodePosition, encodePosition } from './position';
import { walkContiguous } from './gaps';

const c = (position: number, lastPosition: number) => ({ position, lastPosition });

describe('walkContiguous', () => {
  it('walks adjacent commits to the end', () => {
    expect(walkContiguous(1, [c(1, 3), c(4, 4), c(5, 9)])).toEqual({ commits: [c(1, 3), c(4, 4), c(5, 9)], next: 10 });
  });

  it('stops at the first position no commit covers', () => {
    expect(walkContiguous(1, [c(1, 3), c(5, 6)])).toEqual({ commits: [c(1, 3)], next: 4, holeAt: 4 });
  });

  it('starts inside a commit and skips commits before the start', () => {
    expect(walkContiguous(3, [c(1, 1), c(2, 4), c(5, 5)])).toEqual({ commits: [c(2, 4), c(5, 5)], next: 6 });
  });

  it('never passes a hole at the start', () => {
    expect(walkContiguous(1, [c(2, 2)])).toEqual({ commits: [], next: 1, holeAt: 1 });
  });
});

describe('position tokens', () => {
  it('round-trip', () => {
    expect(decodePosition(encodePosition(12345))).toBe(12345);
  });

  it('refuse malformed tokens as client input', () => {
    expect(() => decodePosition('12a')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => decodePosition('')).toThrow();
  });
});
