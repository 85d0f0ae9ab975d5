import { Module } from '@nestjs/common';
import { ContextModule } from '@hrp/context-kit';
import { CampaignResolver } from './campaign/campaign.resolver';
import { campaignsContext } from './campaigns.context';
import { config } from './config';

@Module({
  imports: [ContextModule.forRoot(campaignsContext, config)],
  providers: [CampaignResolver],
})
export class AppModule {}
