import { Controller, Get, Header, Inject, Param, Req, Res } from '@nestjs/common';
import { Public } from '@hrp/auth';
import { GraphQLError, Kind, OperationTypeNode, parse, type OperationDefinitionNode } from 'graphql';

/*
 * What the gateway answers without a token: certificate verification (issue 11), as the GraphQL
 * query `verifyCertificate` and as the page a certificate's QR code points to
 * (`GET /certificates/verify/:code`). Both are rate-limited per client address, since they are
 * open to anyone. Every other operation needs a token.
 */

/** Root fields an anonymous operation may select (all of its root fields must be among them). */
export const PUBLIC_QUERY_FIELDS: ReadonlySet<string> = new Set(['verifyCertificate', '__typename']);

/**
 * Whether a request body is one anonymous query selecting public root fields only. Unparsable
 * bodies are not public (the normal path reports them).
 */
export function isPublicOperation(body: unknown): boolean {
  const { query, operationName } = (body ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string' || query.length > 2000) return false;
  try {
    const ops = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (parse(query).definitions.some((d) => d.kind === Kind.FRAGMENT_DEFINITION)) return false;
    const op = typeof operationName === 'string' ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
    if (!op || op.operation !== OperationTypeNode.QUERY) return false;
    return op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && PUBLIC_QUERY_FIELDS.has(s.name.value));
  } catch {
    return false;
  }
}

/** A fixed-window limit per key (client address): `limit` requests per `windowMs`. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts one request; false when the key is over its limit in the current window. */
  take(key: string, now = Date.now()): boolean {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.windows.clear();
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count <= this.limit;
  }
}

export function rateLimited(): GraphQLError {
  return new GraphQLError('too many anonymous requests from this address: retry in a minute', {
    extensions: { code: 'RATE_LIMITED', retryable: true, http: { status: 429 } },
  });
}

/** The client's address (the socket's; a proxy in front must be trusted explicitly, not assumed). */
export function clientAddress(req: { ip?: string; socket?: { remoteAddress?: string } }): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}

export const PUBLIC_LIMITER = Symbol('PUBLIC_LIMITER');
export const TRAINING_GRAPHQL_URL = Symbol('TRAINING_GRAPHQL_URL');

const VERIFY = `query($code: String!) { verifyCertificate(code: $code) {
  code issuedAt revokedAt revocationReason participantName moduleTitle { fr ar } sessionStartDate sessionEndDate issuer { fr ar } } }`;

interface Verified {
  code: string;
  issuedAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
  participantName: string | null;
  moduleTitle: { fr: string; ar?: string | null };
  sessionStartDate: string;
  sessionEndDate: string;
  issuer: { fr: string; ar: string };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /certificates/verify/:code`: the page a certificate's QR code opens — what the certificate
 * shows and whether it is valid, revoked or unknown (JSON with `Accept: application/json`).
 */
@Controller('certificates')
export class CertificateController {
  constructor(
    @Inject(PUBLIC_LIMITER) private readonly limiter: RateLimiter,
    @Inject(TRAINING_GRAPHQL_URL) private readonly trainingUrl: string,
  ) {}

  @Public()
  @Get('verify/:code')
  @Header('cache-control', 'no-store')
  async verify(
    @Param('code') code: string,
    @Req() req: { ip?: string; headers: Record<string, string | string[] | undefined> },
    @Res() res: { status(n: number): { type(t: string): { send(b: string): void } } },
  ): Promise<void> {
    const json = String(req.headers.accept ?? '').includes('application/json');
    const send = (status: number, body: unknown, html: string) =>
      res
        .status(status)
        .type(json ? 'application/json' : 'text/html; charset=utf-8')
        .send(json ? JSON.stringify(body) : page(html));
    if (!this.limiter.take(clientAddress(req)))
      return send(429, { status: 'RATE_LIMITED' }, '<p>Trop de requêtes — réessayez dans une minute.</p>');
    const r = await fetch(this.trainingUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: VERIFY, variables: { code: String(code).slice(0, 100) } }),
    });
    const body = (await r.json().catch(() => ({}))) as { data?: { verifyCertificate: Verified | null }; errors?: unknown[] };
    if (!body.data) return send(502, { status: 'UNAVAILABLE' }, '<p>Vérification indisponible — réessayez plus tard.</p>');
    const c = body.data.verifyCertificate;
    if (!c)
      return send(
        404,
        { status: 'UNKNOWN', code },
        `<h1>Certificat inconnu</h1><p>Aucun certificat ne porte le code ${escape(String(code))}.</p>`,
      );
    const status = c.revokedAt ? 'REVOKED' : 'VALID';
    return send(
      200,
      { status, certificate: c },
      `<h1>${status === 'VALID' ? 'Certificat valide' : 'Certificat révoqué'}</h1>
<p>${escape(c.participantName ?? '—')}</p><p>${escape(c.moduleTitle.fr)}</p>
<p>${escape(c.sessionStartDate)} – ${escape(c.sessionEndDate)}</p><p>${escape(c.issuer.fr)}</p><p>Code : ${escape(c.code)}</p>
${c.revokedAt ? `<p>Révoqué le ${escape(c.revokedAt)} : ${escape(c.revocationReason ?? '')}</p>` : ''}`,
    );
  }
}

/**
 * `GET /certificates/:code/pdf` (with a token): the printable certificate, from the training
 * service, which checks the caller's token and role again (zero trust).
 */
@Controller('certificates')
export class CertificatePdfProxy {
  constructor(@Inject(TRAINING_GRAPHQL_URL) private readonly trainingUrl: string) {}

  @Get(':code/pdf')
  async pdf(
    @Param('code') code: string,
    @Req() req: { headers: Record<string, string | string[] | undefined> },
    @Res() res: { status(n: number): { set(h: Record<string, string>): { send(b: Buffer | string): void } } },
  ): Promise<void> {
    const auth = req.headers.authorization;
    if (typeof auth !== 'string') return res.status(401).set({ 'content-type': 'application/json' }).send('{"code":"UNAUTHENTICATED"}');
    const r = await fetch(new URL(`/certificates/${encodeURIComponent(String(code))}/pdf`, this.trainingUrl), {
      headers: { authorization: auth },
    });
    const headers: Record<string, string> = {
      'content-type': r.headers.get('content-type') ?? 'application/octet-stream',
      'cache-control': 'no-store',
    };
    const disposition = r.headers.get('content-disposition');
    if (disposition) headers['content-disposition'] = disposition;
    return res
      .status(r.status)
      .set(headers)
      .send(Buffer.from(await r.arrayBuffer()));
  }
}

function page(body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Vérification de certificat</title></head><body>${body}</body></html>`;
}
