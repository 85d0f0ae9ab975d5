import { Controller, Get, HttpException, HttpStatus, Inject, Param, Query } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@hrp/auth';
import { fold } from '@hrp/domain-kit';
import { EventStore } from '@hrp/event-store';
import { CONTEXT, type ContextSettings } from './runtime';

/**
 * Who reads a stream's state as of a moment: the auditor and the director. Not the admin: a
 * state is business data, which an admin reads only with a business role as well.
 */
export const AUDIT_STATE_READERS = ['auditor', 'director'] as const;

/** What `GET /audit/state/:streamId?at=` answers. */
export interface StateAsOf {
  readonly streamId: string;
  readonly context: string;
  readonly aggregate: string;
  /** The stream's version at `at`: the events folded. */
  readonly version: number;
  readonly at: string;
  /** When the last folded event was recorded. */
  readonly lastEventAt: string;
  readonly state: unknown;
}

/**
 * `GET /audit/state/:streamId?at=<ISO instant>` (issue 15, "state as of a moment"): the stream's
 * events recorded up to `at`, folded with its aggregate's decider (found by the stream id's
 * prefix), upcast as the command path reads them. 404 when the stream had no event yet then. The
 * gateway's `stateAsOf` routes here with the caller's token; the roles are checked again here.
 */
@Controller('audit')
export class AuditStateController {
  constructor(
    @Inject(CONTEXT) private readonly context: ContextSettings,
    private readonly store: EventStore,
  ) {}

  @Get('state/:streamId')
  async stateAsOf(
    @Param('streamId') streamId: string,
    @Query('at') at: string | undefined,
    @CurrentPrincipal() p: Principal,
  ): Promise<StateAsOf> {
    if (!p.roles.some((r) => (AUDIT_STATE_READERS as readonly string[]).includes(r)))
      throw new HttpException(`a state as of a moment is read by the ${AUDIT_STATE_READERS.join(', ')} role`, HttpStatus.FORBIDDEN);
    const instant = typeof at === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(at) ? Date.parse(at) : NaN;
    if (Number.isNaN(instant)) throw new HttpException('at: an ISO 8601 instant', HttpStatus.BAD_REQUEST);
    const { definition } = this.context;
    const aggregate = definition.aggregates.find((a) => typeof streamId === 'string' && streamId.startsWith(a.streamPrefix));
    if (!aggregate) throw new HttpException(`no aggregate of ${definition.name} keeps streams named like that`, HttpStatus.BAD_REQUEST);
    // In version order, up to the first event recorded after `at`.
    const all = await this.store.readStream(streamId);
    const after = all.findIndex((e) => Date.parse(e.metadata.time) > instant);
    const events = after === -1 ? all : all.slice(0, after);
    if (events.length === 0)
      throw new HttpException(`${streamId} had no event at ${new Date(instant).toISOString()}`, HttpStatus.NOT_FOUND);
    return {
      streamId,
      context: definition.name,
      aggregate: aggregate.name,
      version: events[events.length - 1].streamVersion,
      at: new Date(instant).toISOString(),
      lastEventAt: events[events.length - 1].metadata.time,
      state: fold(aggregate.decider, events as never[]),
    };
  }
}
