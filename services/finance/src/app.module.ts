import { Module } from '@nestjs/common';
import { ContextModule } from '@hrp/context-kit';
import { config } from './config';
import { financeContext } from './finance.context';
import { BudgetLineResolver, CommitmentFieldsResolver, FinanceResolver } from './finance.resolver';
import { FundingDesk } from './funding/funding.desk';

@Module({
  imports: [ContextModule.forRoot(financeContext, config)],
  providers: [FinanceResolver, CommitmentFieldsResolver, BudgetLineResolver, FundingDesk],
})
export class AppModule {}
