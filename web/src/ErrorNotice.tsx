import { Alert, Button } from '@mantine/core';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useTranslation } from 'react-i18next';
import { ruleInWords } from './i18n/rules';
import type { Language } from './i18n/languages';
import { shownError } from './lib/errors';

/** A failed request in words: the rule a refusal names, a stale version with a reload. */
export function ErrorNotice({ error, onReload }: { error: unknown; onReload?: () => void }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const first = CombinedGraphQLErrors.is(error)
    ? error.errors[0]
    : { message: error instanceof Error ? error.message : JSON.stringify(error), extensions: {} };
  const shown = shownError(first);
  const rule = typeof first.extensions?.rule === 'string' ? ruleInWords(first.extensions.rule, i18n.language as Language) : null;
  return (
    <Alert
      color={shown.kind === 'conflict' || shown.kind === 'retry' ? 'yellow' : 'red'}
      title={t(shown.titleKey)}
      role="alert"
      data-testid="error"
    >
      {rule ?? shown.detail}
      {shown.reload && onReload && (
        <Button size="xs" ms="md" variant="light" onClick={onReload}>
          {t('campaigns.reload')}
        </Button>
      )}
    </Alert>
  );
}
