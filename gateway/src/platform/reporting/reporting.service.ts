import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@hrp/auth';
import { graphQLError } from '@hrp/graphql-kit';
import { currentContext } from '@hrp/service-kit';
import { config } from '../../config';
import { AdminService } from '../admin.service';
import { AuditService } from '../audit.service';
import { PlatformRuntime } from '../platform.runtime';
import {
  ALL_INDICATORS,
  checkIndicatorArgs,
  indicatorOf,
  indicatorView,
  waitForReporting,
  type IndicatorArgs,
  type IndicatorView,
} from './indicators.query';
import { RESULTS_FRAMEWORK } from './catalogue';
import { renderReport } from './render';
import { reportUrl, storeReport } from './report-files';
import { REPORT_LANGUAGES, reportModel, type ReportFormat, type ReportLanguage } from './synthesis';
import { reportingRegistry, targetIssues, targetStream, type IndicatorTargetSet } from './targets';

/** Who generates synthesis reports: the director, the M&E officer and the auditor. */
export const REPORT_READERS = ['director', 'me-officer', 'auditor'] as const;

/** Who sets baselines and targets: the director and the M&E officer. */
export const TARGET_SETTERS = ['director', 'me-officer'] as const;

/**
 * The indicators' API: figures from the reporting projections, targets from the gateway's own
 * store (IndicatorTargetSet events), read-your-writes across the contexts.
 */
@Injectable()
export class ReportingService {
  constructor(
    private readonly runtime: PlatformRuntime,
    private readonly admin: AdminService,
    private readonly audit: AuditService,
  ) {}

  private readonly thresholds = { onTrack: config.INDICATOR_ON_TRACK, atRisk: config.INDICATOR_AT_RISK };

  /** The last baseline and target set for an indicator and year, if any. */
  async targetOf(code: string, year: number): Promise<{ target: number; baseline: number } | null> {
    const events = await (await this.admin.store()).readStream(targetStream(code, year));
    const last = events.filter((e) => e.type === 'IndicatorTargetSet').at(-1)?.data as IndicatorTargetSet | undefined;
    return last ? { target: last.target, baseline: last.baseline } : null;
  }

  async indicators(principal: Principal, args: IndicatorArgs & { minPosition?: string | null }): Promise<IndicatorView[]> {
    const scope = checkIndicatorArgs(principal, args);
    const store = this.runtime.reporting();
    if (args.minPosition != null) {
      const consumer = this.runtime.reportingConsumer();
      if (!consumer) throw new Error('the reporting projections are not running');
      await waitForReporting(args.minPosition, {
        bus: this.runtime.messageBus,
        groupId: consumer.groupId,
        logPositions: (c) => this.audit.logPositions(c),
        timeoutMs: config.READ_WAIT_MS,
      });
    }
    return Promise.all(
      ALL_INDICATORS.map(async (def) => indicatorView(store, def, scope, await this.targetOf(def.code, scope.year), this.thresholds)),
    );
  }

  async indicator(principal: Principal, args: IndicatorArgs & { code: string }): Promise<IndicatorView | null> {
    const scope = checkIndicatorArgs(principal, args);
    const def = indicatorOf(args.code);
    if (!def) return null;
    return indicatorView(this.runtime.reporting(), def, scope, await this.targetOf(def.code, scope.year), this.thresholds);
  }

  /** The results framework with every indicator's figure for the year (and region). */
  async resultsFramework(principal: Principal, args: { year: number; region?: string | null }) {
    const byCode = new Map((await this.indicators(principal, args)).map((v) => [v.code, v]));
    return RESULTS_FRAMEWORK.map((o) => ({
      id: o.id,
      name: { ...o.name, zgh: null },
      results: o.results.map((r) => ({ id: r.id, name: { ...r.name, zgh: null }, indicators: r.indicators.map((c) => byCode.get(c)!) })),
    }));
  }

  /**
   * `synthesisReport(year, format, language)`: the year's indicators (the whole country) as a file,
   * kept `REPORT_URL_TTL_S` and handed out as a signed, expiring URL of the gateway.
   */
  async synthesisReport(principal: Principal, args: { year: number; format: string; language?: string | null }) {
    if (!principal.roles.some((r) => (REPORT_READERS as readonly string[]).includes(r)))
      throw graphQLError('FORBIDDEN', `synthesis reports need the ${REPORT_READERS.join(', ')} role`);
    const language = (args.language ?? 'fr') as ReportLanguage;
    if (!REPORT_LANGUAGES.includes(language))
      throw graphQLError('BAD_USER_INPUT', `language: one of ${REPORT_LANGUAGES.join(', ')}`, { field: 'language' });
    if (!config.REPORT_URL_SECRET) throw new Error('report links are off: REPORT_URL_SECRET is not set');
    const views = await this.indicators(principal, { year: args.year });
    const model = reportModel(args.year, null, views);
    const file = await renderReport(model, args.format as ReportFormat, language);
    const { id, exp } = await storeReport(this.runtime.database(), file, principal.subject, config.REPORT_URL_TTL_S);
    return {
      filename: file.filename,
      mimeType: file.mimeType,
      url: reportUrl(config.GATEWAY_PUBLIC_URL || `http://localhost:${config.PORT}`, config.REPORT_URL_SECRET, id, exp),
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  /** `setIndicatorTarget`: director or M&E officer; an event with who and why; the indicator as it now stands (whole country). */
  async setTarget(
    principal: Principal,
    args: { code: string; year: number; target: number; baseline?: number | null; reason?: string | null },
  ): Promise<IndicatorView> {
    if (!principal.roles.some((r) => (TARGET_SETTERS as readonly string[]).includes(r)))
      throw graphQLError('FORBIDDEN', `setting a target needs the ${TARGET_SETTERS.join(' or ')} role`);
    const def = indicatorOf(args.code);
    if (!def) throw graphQLError('NOT_FOUND', `no indicator ${String(args.code).slice(0, 20)} in the catalogue`, { entity: 'Indicator' });
    if (!Number.isInteger(args.year) || args.year < 2000 || args.year > 2100)
      throw graphQLError('BAD_USER_INPUT', 'year: 2000 to 2100', { field: 'year' });
    const issue = targetIssues(args);
    if (issue) throw graphQLError('BAD_USER_INPUT', issue.message, { field: issue.field });
    const previous = await this.targetOf(def.code, args.year);
    const data: IndicatorTargetSet = {
      code: def.code,
      year: args.year,
      target: args.target,
      baseline: args.baseline ?? previous?.baseline ?? 0,
      reason: args.reason?.trim() ?? null,
    };
    if (data.baseline === data.target)
      throw graphQLError('BAD_USER_INPUT', 'target: different from the baseline (achievement is measured between them)', {
        field: 'target',
      });
    reportingRegistry.validate('IndicatorTargetSet', data);
    await (
      await this.admin.store()
    ).append(targetStream(def.code, args.year), 'any', [{ type: 'IndicatorTargetSet', data }], {
      time: new Date().toISOString(),
      actor: { subject: principal.subject, username: principal.username },
      correlationId: currentContext()?.correlationId ?? randomUUID(),
    });
    return indicatorView(this.runtime.reporting(), def, { year: args.year, quarter: null, region: null }, data, this.thresholds);
  }
}
