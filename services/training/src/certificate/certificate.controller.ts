import { Controller, Get, HttpException, HttpStatus, Param, Res } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { CurrentPrincipal, type Principal } from '@hrp/auth';
import { ContextRuntime } from '@hrp/context-kit';
import { VERSION_FIELD } from '@hrp/messaging';
import { PersonRegistry } from '@hrp/personal-data';
import { SESSION_VIEW, type SessionViewDoc } from '../session/projections/session-view.projection';
import { sessionFromView } from '../training.graph';
import { ISSUER, mayReadParticipants, publicBaseUrl } from '../training.resolver';
import { renderCertificatePdf, verificationUrl } from './certificate.pdf';

/**
 * `GET /certificates/:code/pdf` (with a token; the gateway serves the same path): the printable
 * certificate, in French and Arabic, with the QR code of its verification page. For the readers
 * of the session's participants — its training coordinator, the director, the regional officer of
 * its region — since it carries the participant's name.
 */
@Controller('certificates')
export class CertificatePdfController {
  constructor(
    private readonly runtime: ContextRuntime,
    private readonly people: PersonRegistry,
  ) {}

  @Get(':code/pdf')
  async pdf(
    @Param('code') code: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: { status(n: number): unknown; set(h: Record<string, string>): unknown; send(b: Buffer): void },
  ): Promise<void> {
    if (typeof code !== 'string' || code.length > 100) throw new HttpException('unknown certificate', HttpStatus.NOT_FOUND);
    const col = (await this.runtime.listCollection(SESSION_VIEW)) as unknown as mongo.Collection<SessionViewDoc>;
    const doc = await col.findOne({ certificateCodes: code, [VERSION_FIELD]: { $gt: 0 } } as mongo.Filter<SessionViewDoc>);
    if (!doc) throw new HttpException('unknown certificate', HttpStatus.NOT_FOUND);
    const s = sessionFromView(doc);
    if (!mayReadParticipants(p, s.region))
      throw new HttpException(
        'certificates are printed by the training coordinator, the director and the regional officer of the session’s region',
        HttpStatus.FORBIDDEN,
      );
    const c = s.certificates.find((x) => x.code === code)!;
    const participant = s.participants.find((x) => x.id === c.participantId);
    const pii = participant ? await this.people.decrypt<{ fullName: string }>(participant.pii) : null;
    const pdf = await renderCertificatePdf({
      code,
      participantName: pii?.fullName ?? null,
      moduleTitle: { fr: s.moduleTitle.fr, ...(s.moduleTitle.ar ? { ar: s.moduleTitle.ar } : {}) },
      sessionDates: { start: s.startDate, end: s.endDate },
      region: s.region,
      issuedAt: c.issuedAt,
      verificationUrl: verificationUrl(publicBaseUrl(), code),
      issuer: ISSUER,
    });
    res.set({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="certificate-${code}.pdf"`,
      'cache-control': 'no-store',
    });
    res.send(pdf);
  }
}
