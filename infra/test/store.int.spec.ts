import mongoose from 'mongoose';
import { isolation, testInfra } from '@hrp/testing';

describe('MongoDB-compatible store (real FerretDB) through mongoose', () => {
  const iso = isolation();
  let conn: mongoose.Connection;
  interface Entry {
    streamId: string;
    version: number;
    payload: string;
  }
  const schema = new mongoose.Schema<Entry>(
    { streamId: { type: String, required: true }, version: { type: Number, required: true }, payload: { type: String, required: true } },
    { versionKey: false },
  );
  schema.index({ streamId: 1, version: 1 }, { unique: true });

  beforeAll(async () => {
    conn = await mongoose.createConnection(testInfra.mongoUrl, { dbName: iso.dbName }).asPromise();
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('connects and answers ping', async () => {
    await expect(conn.db!.admin().ping()).resolves.toMatchObject({ ok: 1 });
  });

  describe('with a compound unique index', () => {
    let Model: mongoose.Model<Entry>;
    beforeAll(async () => {
      Model = conn.model('Entry', schema, 'entries');
      await Model.createIndexes();
    });

    it('rejects a duplicate with a duplicate-key error', async () => {
      await Model.create({ streamId: 's-1', version: 1, payload: 'a' });
      await expect(Model.create({ streamId: 's-1', version: 1, payload: 'b' })).rejects.toMatchObject({ code: 11000 });
      expect(await Model.countDocuments({ streamId: 's-1' })).toBe(1);
    });

    it('inserts many and finds them with sort and limit', async () => {
      await Model.insertMany(Array.from({ length: 50 }, (_, i) => ({ streamId: 's-2', version: i + 1, payload: `p${i}` })));
      const last3 = await Model.find({ streamId: 's-2' }).sort({ version: -1 }).limit(3).lean();
      expect(last3.map((d) => d.version)).toEqual([50, 49, 48]);
    });

    it('upserts with findOneAndUpdate, then updates the same document', async () => {
      const created = await Model.findOneAndUpdate(
        { streamId: 's-3', version: 1 },
        { $set: { payload: 'first' } },
        { upsert: true, new: true },
      ).lean();
      expect(created).toMatchObject({ streamId: 's-3', version: 1, payload: 'first' });
      const updated = await Model.findOneAndUpdate(
        { streamId: 's-3', version: 1 },
        { $set: { payload: 'second' } },
        { upsert: true, new: true },
      ).lean();
      expect(updated._id).toEqual(created._id);
      expect(updated.payload).toBe('second');
      expect(await Model.countDocuments({ streamId: 's-3' })).toBe(1);
    });
  });
});
