import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@hrp/auth';
import { config } from '../../config';
import { PlatformRuntime } from '../platform.runtime';
import { checkReportSignature, readReport } from './report-files';

/**
 * `GET /reports/:id?exp=…&sig=…`: a generated report, for whoever holds its signed URL until it
 * expires (the URL is handed out only to a caller `synthesisReport` authorised). 403 for a bad
 * signature, 410 once expired, 404 for a file that is gone.
 */
@Controller('reports')
export class ReportsController {
  constructor(private readonly runtime: PlatformRuntime) {}

  @Public()
  @Get(':id')
  async download(
    @Param('id') id: string,
    @Query('exp') exp: string | undefined,
    @Query('sig') sig: string | undefined,
    @Res() res: Response,
  ) {
    const refused = checkReportSignature(config.REPORT_URL_SECRET, id, exp, sig);
    if (refused === 'forbidden') return res.status(403).json({ error: 'not a valid report link' });
    if (refused === 'expired') return res.status(410).json({ error: 'this report link has expired: generate the report again' });
    const file = await readReport(this.runtime.database(), id);
    if (!file) return res.status(404).json({ error: 'no such report (it may have expired)' });
    const body = Buffer.isBuffer(file.body) ? file.body : Buffer.from(file.body.buffer);
    res.setHeader('content-type', file.mimeType);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
    res.setHeader('cache-control', 'private, no-store');
    return res.status(200).send(body);
  }
}
