import { Module } from '@nestjs/common';
import { ContextModule } from '@hrp/context-kit';
import { CampaignResolver } from './campaign/campaign.resolver';
import { campaignsContext } from './campaigns.context';
import { config } from './config';
import { PartnerResolver } from './partner/partner.resolver';
import { TaggedWorkResolver } from './tagged-work/tagged-work.resolver';

@Module({
  imports: [ContextModule.forRoot(campaignsContext, config)],
  providers: [CampaignResolver, PartnerResolver, TaggedWorkResolver],
})
export class AppModule {}
