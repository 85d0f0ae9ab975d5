import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { mongo } from 'mongoose';

/*
 * Generated reports are kept for a short while in the gateway's database (`report_files`, one
 * document per file) and handed out as an expiring, signed URL of the gateway:
 * `/reports/<id>?exp=<unix s>&sig=<HMAC-SHA256(id|exp)>`. The signature stands for the caller's
 * authorisation (checked when the report was asked for), so a browser downloads it without a
 * bearer header; once `exp` is past it is refused (410), and the file itself is deleted then.
 */

export const REPORT_FILES = 'report_files';

export interface ReportFileDoc {
  _id: string;
  filename: string;
  mimeType: string;
  body: mongo.Binary | Buffer;
  /** Who asked for it (Keycloak subject), when, and until when it may be downloaded. */
  subject: string;
  createdAt: Date;
  expiresAt: Date;
}

export function newReportId(): string {
  return randomBytes(16).toString('base64url');
}

export function signReport(secret: string, id: string, exp: number): string {
  return createHmac('sha256', secret).update(`${id}|${exp}`).digest('base64url');
}

/** Why a download is refused, or null when its signature holds and it has not expired. */
export function checkReportSignature(
  secret: string,
  id: string,
  exp: string | undefined,
  sig: string | undefined,
  nowS = Math.floor(Date.now() / 1000),
): 'forbidden' | 'expired' | null {
  if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) return 'forbidden';
  const expected = Buffer.from(signReport(secret, id, Number(exp)));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forbidden';
  return Number(exp) < nowS ? 'expired' : null;
}

export function reportUrl(base: string, secret: string, id: string, exp: number): string {
  return `${base.replace(/\/$/, '')}/reports/${id}?exp=${exp}&sig=${signReport(secret, id, exp)}`;
}

/** Stores a file until `ttlS` from now; returns its id and expiry (unix seconds). */
export async function storeReport(
  db: mongo.Db,
  file: { filename: string; mimeType: string; body: Buffer },
  subject: string,
  ttlS: number,
): Promise<{ id: string; exp: number }> {
  const id = newReportId();
  const now = Date.now();
  const exp = Math.floor(now / 1000) + ttlS;
  const col = db.collection<ReportFileDoc>(REPORT_FILES);
  // Files past their expiry are removed as new ones come (no TTL monitor on every store).
  await col.deleteMany({ expiresAt: { $lt: new Date(now) } });
  await col.insertOne({ _id: id, ...file, subject, createdAt: new Date(now), expiresAt: new Date(exp * 1000) });
  return { id, exp };
}

export async function readReport(db: mongo.Db, id: string): Promise<ReportFileDoc | null> {
  return db.collection<ReportFileDoc>(REPORT_FILES).findOne({ _id: id });
}
