import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Principal } from '@hrp/auth';
import { type CommandMetadata, NotFoundError } from '@hrp/domain-kit';
import { DecideCommand, type HandleResult } from '@hrp/event-store';
import { graphQLError } from '@hrp/graphql-kit';
import { currentContext } from '@hrp/service-kit';
import { campaignDecider, type CampaignCommand, type UserCampaignCommand } from './campaign.decider';
import { exists, type CampaignEvent, type CampaignState } from './campaign.events';
import { authorize } from './campaign.policy';

/** What a command needs from the adapter: who, when, under which correlation, and fresh ids. */
export function commandMetadata(principal: Pick<Principal, 'subject' | 'username'>, ids: string[] = []): CommandMetadata {
  const ctx = currentContext();
  return {
    now: new Date().toISOString(),
    actor: { subject: principal.subject, username: principal.username },
    correlationId: ctx?.correlationId ?? randomUUID(),
    causationId: ctx?.correlationId,
    ids,
  };
}

/**
 * The application service of campaigns: authorizes a user's command against the current state
 * (separation of duties, regional scoping), then runs it through the generic handler (load →
 * fold → decide → append with the expected version). Thin on purpose: the rules live in the
 * decider and the policy.
 */
@Injectable()
export class CampaignService {
  constructor(private readonly commands: CommandBus) {}

  async execute(
    principal: Principal,
    command: UserCampaignCommand,
    expectedVersion?: number | null,
  ): Promise<HandleResult<CampaignEvent, CampaignState>> {
    const streamId = command.data.campaignId;
    const creating = command.type === 'CreateCampaign';
    // Authorized on the state the handler loads for the command itself (one read of the stream).
    const beforeDecide = (state: CampaignState) => {
      if (!creating && !exists(state)) throw new NotFoundError('Campaign', streamId);
      const verdict = authorize(principal, command, creating ? undefined : state);
      if (!verdict.ok) throw graphQLError('FORBIDDEN', verdict.reason);
    };
    return this.run(streamId, command, creating ? 'no-stream' : (expectedVersion ?? undefined), beforeDecide);
  }

  /** Runs a command without the user policy (system commands, e.g. funding decisions from finance). */
  run(
    streamId: string,
    command: CampaignCommand,
    expectedVersion?: number | 'no-stream',
    beforeDecide?: (state: CampaignState) => void,
  ): Promise<HandleResult<CampaignEvent, CampaignState>> {
    return this.commands.execute<DecideCommand<CampaignCommand, CampaignEvent, CampaignState>, HandleResult<CampaignEvent, CampaignState>>(
      new DecideCommand(campaignDecider, streamId, command, {
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
        ...(beforeDecide ? { beforeDecide } : {}),
      }),
    );
  }
}
