import { Module } from '@nestjs/common';
import { ContextModule } from '@hrp/context-kit';
import { advocacyContext } from './advocacy.context';
import { DossierResolver, RecommendationResolver, TaggedWorkResolver } from './advocacy.resolver';
import { config } from './config';
import { UprRecommendationResolver } from './upr/upr.resolver';

@Module({
  imports: [ContextModule.forRoot(advocacyContext, config)],
  providers: [DossierResolver, RecommendationResolver, TaggedWorkResolver, UprRecommendationResolver],
})
export class AppModule {}
