import { Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import type { mongo } from 'mongoose';
import { ReferencePrincipal } from '@hrp/auth';
import { ReadModels } from '@hrp/context-kit';
import { type HumanRightsTag, tagKey } from '@hrp/contracts';
import { taggedWorkTag } from '@hrp/graphql-kit';
import { MODULE_VIEW, type ModuleViewDoc } from '../module/projections/module-view.projection';
import { SESSION_VIEW, type SessionViewDoc } from '../session/projections/session-view.projection';
import { moduleFromView, sessionFromView, type ModuleGraph, type SessionData } from '../training.graph';

/** Most modules, and most sessions, `TaggedWork` lists. */
export const TAGGED_WORK_MAX = 500;

/** Oldest first: by start date, then end date; the order read in breaks ties. */
export function byPeriod(a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }): number {
  return a.startDate.localeCompare(b.startDate) || a.endDate.localeCompare(b.endDate);
}

/**
 * The TaggedWork entity (everything done on one human-rights tag; no subgraph owns it) as training
 * contributes to it: the modules that carry the tag, and the sessions of those modules (a session
 * has no tags of its own: it teaches its module). The key is the tag itself.
 */
@Resolver('TaggedWork')
export class TaggedWorkResolver {
  constructor(
    private readonly views: ReadModels,
    private readonly principals: ReferencePrincipal,
  ) {}

  /** The tagged modules of one TaggedWork, read once when both of its fields are selected. */
  private readonly modulesOf = new WeakMap<HumanRightsTag, Promise<ModuleViewDoc[]>>();

  /** Called by @apollo/subgraph as `(reference, context)`, outside the guard: the token is verified here. */
  @ResolveReference()
  async resolveReference(ref: { kind?: unknown; ref?: unknown }, context: { req?: never }): Promise<HumanRightsTag> {
    await this.principals.of(context);
    return taggedWorkTag(ref);
  }

  /** Read from the module list by its `tagKeys` index, in creation order: open to every signed-in user, as `trainingModule`. */
  @ResolveField('trainingModules')
  async trainingModules(@Parent() tag: HumanRightsTag): Promise<ModuleGraph[]> {
    return (await this.taggedModules(tag)).map(moduleFromView);
  }

  /**
   * The sessions of the tagged modules, read from the session list by its `moduleId` index, module
   * by module (an equality each, which the store narrows): open to every signed-in user, as
   * `trainingSessions` (participants' names keep their own readers). Then ordered by period.
   */
  @ResolveField('trainingSessions')
  async trainingSessions(@Parent() tag: HumanRightsTag): Promise<SessionData[]> {
    const out: SessionData[] = [];
    for (const m of await this.taggedModules(tag)) {
      if (out.length >= TAGGED_WORK_MAX) break;
      out.push(...(await this.all<SessionViewDoc>(SESSION_VIEW, { moduleId: m._id }, TAGGED_WORK_MAX - out.length)).map(sessionFromView));
    }
    return out.sort(byPeriod);
  }

  private taggedModules(tag: HumanRightsTag): Promise<ModuleViewDoc[]> {
    let modules = this.modulesOf.get(tag);
    if (!modules) {
      modules = this.all<ModuleViewDoc>(MODULE_VIEW, { tagKeys: tagKey(tag) }, TAGGED_WORK_MAX);
      this.modulesOf.set(tag, modules);
    }
    return modules;
  }

  /** The first `max` documents of a list matching `where`, page by page, in the list's order. */
  private all<D extends { _id: string }>(view: string, where: mongo.Filter<D>, max: number): Promise<D[]> {
    return this.views.collect<D>(view, where, max);
  }
}
