import { applyUpdate, UpdateRefusedError, type PlainDocument } from './update-applier';

// The expected documents below are what FerretDB 1.24 (the store of this repo) made of the same
// updates, field order included: MongoDB ≥ 5 adds new fields in the same order (paths sorted).

const fresh = (): PlainDocument => ({ _id: 'a', _version: 0 });

describe('applyUpdate (MongoDB update operators in memory)', () => {
  describe('a first update with $inc, $set and $push on dotted paths', () => {
    const update = {
      $inc: { count: 1, 'p.z': 2, 'p.a': 1 },
      $set: { zeta: 1, last: 5, 'm.k2.x': 1, 'm.k1': { b: 1, a: 2 } },
      $push: { arr: 'x' },
    };

    it('creates the fields and the documents along the paths, new fields in path order', () => {
      const doc = applyUpdate(fresh(), update, { set: { _version: 1, _position: 3 } });
      expect(JSON.stringify(doc)).toBe(
        '{"_id":"a","_version":1,"_position":3,"arr":["x"],"count":1,"last":5,"m":{"k1":{"b":1,"a":2},"k2":{"x":1}},"p":{"a":1,"z":2},"zeta":1}',
      );
    });

    it('keeps existing fields in place and appends the new ones, sorted', () => {
      const doc = applyUpdate(fresh(), update, { set: { _version: 1, _position: 3 } });
      applyUpdate(doc, { $set: { aaa: 1 }, $inc: { count: 1, bbb: 1 } }, { set: { _version: 2, _position: 4 } });
      expect(JSON.stringify(doc)).toBe(
        '{"_id":"a","_version":2,"_position":4,"arr":["x"],"count":2,"last":5,"m":{"k1":{"b":1,"a":2},"k2":{"x":1}},"p":{"a":1,"z":2},"zeta":1,"aaa":1,"bbb":1}',
      );
    });
  });

  describe('$set', () => {
    it('replaces a value, a whole sub-document, or one field inside it', () => {
      const doc = applyUpdate(fresh(), { $set: { a: { x: 1, y: 2 }, s: 'one' } });
      applyUpdate(doc, { $set: { 'a.y': 3, s: 'two' } });
      expect(doc).toEqual({ _id: 'a', _version: 0, a: { x: 1, y: 3 }, s: 'two' });
      applyUpdate(doc, { $set: { a: { z: 0 } } });
      expect(doc.a).toEqual({ z: 0 });
    });

    it('indexes an existing array by a numeric segment, padding with null past its end', () => {
      const doc = applyUpdate(fresh(), { $set: { arr: ['x'] } });
      applyUpdate(doc, { $set: { 'arr.2': 'q' } });
      expect(doc.arr).toEqual(['x', null, 'q']);
      applyUpdate(doc, { $set: { 'arr.0': 'y' } });
      expect(doc.arr).toEqual(['y', null, 'q']);
    });

    it('creates a sub-document with a numeric name where nothing was', () => {
      expect(applyUpdate(fresh(), { $set: { 'new.0.x': 1 } }).new).toEqual({ 0: { x: 1 } });
    });

    it('copies the value: the update and the document share nothing after', () => {
      const shared = { total: 0, tags: ['a'] };
      const one = applyUpdate(fresh(), { $set: { p: shared } });
      const two = applyUpdate(fresh(), { $set: { p: shared } });
      applyUpdate(one, { $inc: { 'p.total': 5 }, $push: { 'p.tags': 'b' } });
      expect(shared).toEqual({ total: 0, tags: ['a'] });
      expect(two.p).toEqual({ total: 0, tags: ['a'] });
      expect(one.p).toEqual({ total: 5, tags: ['a', 'b'] });
    });

    it('copies dates, and keeps other values (BSON types) as they are', () => {
      const at = new Date('2026-01-01T00:00:00Z');
      const id = new (class ObjectIdLike {
        constructor(readonly hex: string) {}
      })('abc');
      const doc = applyUpdate(fresh(), { $set: { at, id } });
      expect(doc.at).toEqual(at);
      expect(doc.at).not.toBe(at);
      expect(doc.id).toBe(id);
    });

    it('the `set` option replaces the update’s $set of the same path (projection bookkeeping)', () => {
      const doc = applyUpdate(fresh(), { $set: { _version: 99, x: 1 } }, { set: { _version: 3 } });
      expect(doc).toEqual({ _id: 'a', _version: 3, x: 1 });
    });
  });

  describe('$inc', () => {
    it('starts a missing field (and missing documents on its path) at 0', () => {
      expect(applyUpdate(fresh(), { $inc: { n: 2, 'p.total': 5 } })).toEqual({ _id: 'a', _version: 0, n: 2, p: { total: 5 } });
    });

    it('adds as the store does, in double precision', () => {
      const doc = applyUpdate(fresh(), { $inc: { f: 0.1 } });
      applyUpdate(doc, { $inc: { f: 0.2, n: -1 } });
      expect(doc).toEqual({ _id: 'a', _version: 0, f: 0.30000000000000004, n: -1 });
    });

    it('refuses a field that is not a number, and an argument that is not one', () => {
      const doc = applyUpdate(fresh(), { $set: { s: 'x', n: null } });
      expect(() => applyUpdate(doc, { $inc: { s: 1 } })).toThrow(UpdateRefusedError);
      expect(() => applyUpdate(doc, { $inc: { n: 1 } })).toThrow(UpdateRefusedError);
      expect(() => applyUpdate(doc, { $inc: { f: '1' } })).toThrow(/needs a number/);
    });
  });

  describe('$push', () => {
    it('appends to an array, creating it when missing', () => {
      const doc = applyUpdate(fresh(), { $push: { list: 1 } });
      applyUpdate(doc, { $push: { list: { a: 1, b: [2] } } });
      expect(doc.list).toEqual([1, { a: 1, b: [2] }]);
    });

    it('appends each of $each', () => {
      const doc = applyUpdate(fresh(), { $push: { list: 'x' } });
      applyUpdate(doc, { $push: { list: { $each: ['e1', 'e2'] } } });
      expect(doc.list).toEqual(['x', 'e1', 'e2']);
    });

    it('refuses a field that is not an array, and modifiers it does not model', () => {
      const doc = applyUpdate(fresh(), { $set: { count: 2, list: [1] } });
      expect(() => applyUpdate(doc, { $push: { count: 1 } })).toThrow(/must be an array/);
      // FerretDB 1.24 ignores $slice where MongoDB applies it: refused rather than guessed.
      expect(() => applyUpdate(doc, { $push: { list: { $each: [2], $slice: -1 } } })).toThrow(/not supported/);
      expect(() => applyUpdate(doc, { $push: { list: { $each: 3 } } })).toThrow(/must be an array/);
    });
  });

  describe('$setOnInsert', () => {
    it('applies only when the update creates the document', () => {
      expect(applyUpdate(fresh(), { $setOnInsert: { created: 1 }, $set: { x: 1 } })).toEqual({ _id: 'a', _version: 0, x: 1 });
      expect(applyUpdate({ _id: 'a' }, { $setOnInsert: { created: 1 }, $set: { x: 1 } }, { inserting: true })).toEqual({
        _id: 'a',
        created: 1,
        x: 1,
      });
    });

    it('still conflicts with another operator on the same path', () => {
      expect(() => applyUpdate(fresh(), { $set: { q: 1 }, $setOnInsert: { q: 2 } })).toThrow(/conflict/);
    });
  });

  describe('what the store refuses', () => {
    it.each([
      ['one path twice', { $set: { a: 1 }, $inc: { a: 1 } }],
      ['a path and one inside it', { $set: { a: { b: 1 } }, $inc: { 'a.b': 1 } }],
      ['a path and one inside it, deeper', { $set: { 'a.b': 1, 'a.b.c.d': 2 } }],
      ['a field inside a scalar', { $set: { 's.x': 1 } }],
      ['a field inside null', { $set: { 'n.x': 1 } }],
      ['a named field inside an array', { $set: { 'arr.x': 1 } }],
      ['a field inside a scalar array element', { $set: { 'arr.0.x': 1 } }],
      ['the immutable _id', { $set: { _id: 'b' } }],
      ['an empty field name', { $set: { 'a..b': 1 } }],
      ['a $ field name (positional)', { $set: { 'arr.$.x': 1 } }],
      ['a $ key inside a value', { $set: { v: { $x: 1 } } }],
      ['a replacement document', { foo: 1 }],
      ['an operator it does not model', { $rename: { s: 't' } }],
      ['an operator that is not a document', { $set: 1 }],
      ['no document at all', null],
    ])('refuses %s, leaving the document untouched', (_what, update) => {
      const doc = applyUpdate(fresh(), { $set: { s: 'x', n: null, arr: [1], keep: { v: 1 } } });
      const before = JSON.stringify(doc);
      expect(() => applyUpdate(doc, update)).toThrow(UpdateRefusedError);
      expect(JSON.stringify(doc)).toBe(before);
    });

    it('does not take paths that only share a prefix of characters for conflicting ones', () => {
      expect(applyUpdate(fresh(), { $set: { 'a.b': 1 }, $inc: { 'a.bc': 1, ab: 1 } })).toEqual({
        _id: 'a',
        _version: 0,
        a: { b: 1, bc: 1 },
        ab: 1,
      });
    });

    it('is all or nothing: a refused step leaves the valid ones unapplied', () => {
      const doc = applyUpdate(fresh(), { $set: { s: 'x' } });
      expect(() => applyUpdate(doc, { $set: { ok: 1, 'deep.ok': 2 }, $inc: { s: 1 } })).toThrow(UpdateRefusedError);
      expect(doc).toEqual({ _id: 'a', _version: 0, s: 'x' });
    });
  });

  it('takes the values of each update, whatever updates of the same shape came before', () => {
    const doc = fresh();
    applyUpdate(doc, { $inc: { n: 1 }, $set: { 'a.b': 'one' } }, { set: { _version: 1 } });
    applyUpdate(doc, { $inc: { n: 5 }, $set: { 'a.b': 'two' } }, { set: { _version: 2 } });
    expect(doc).toEqual({ _id: 'a', _version: 2, n: 6, a: { b: 'two' } });
    expect(() => applyUpdate(doc, { $inc: { n: 'x' }, $set: { 'a.b': 'three' } }, { set: { _version: 3 } })).toThrow(/needs a number/);
    expect(() => applyUpdate(doc, { $inc: { n: 1 }, $set: { 'a.b': { $bad: 1 } } }, { set: { _version: 3 } })).toThrow(/must not start/);
    expect(doc).toEqual({ _id: 'a', _version: 2, n: 6, a: { b: 'two' } });
  });

  it('accepts an empty operator, as the store does', () => {
    expect(applyUpdate(fresh(), { $set: {} })).toEqual(fresh());
  });
});
