import { Anchor, Button, Group, Loader, NumberInput, Select, Stack, Text, Title } from '@mantine/core';
import { useLazyQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { ReportFormat } from '../gql/graphql';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n';

const REPORT = graphql(`
  query SynthesisReport($year: Int!, $format: ReportFormat!, $language: String) {
    synthesisReport(year: $year, format: $format, language: $language) {
      filename
      url
      expiresAt
    }
  }
`);

/** The year's synthesis report in a format and language, downloaded through its expiring link. */
export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const [year, setYear] = useState(new Date().getUTCFullYear());
  const [format, setFormat] = useState<ReportFormat>('PDF');
  const [language, setLanguage] = useState<string>(i18n.language);
  const [generate, { data, loading, error }] = useLazyQuery(REPORT, { fetchPolicy: 'network-only' });
  return (
    <Stack>
      <Title order={2}>{t('reports.title')}</Title>
      <Group align="end">
        <NumberInput label={t('dashboard.year')} value={year} onChange={(v) => typeof v === 'number' && setYear(v)} w={120} />
        <Select
          label={t('reports.format')}
          data={['PDF', 'XLSX', 'CSV']}
          value={format}
          onChange={(v) => v && setFormat(v)}
          allowDeselect={false}
        />
        <Select
          label={t('app.language')}
          data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          value={language}
          onChange={(v) => v && setLanguage(v)}
          allowDeselect={false}
        />
        <Button onClick={() => void generate({ variables: { year, format, language } })} loading={loading}>
          {t('reports.generate')}
        </Button>
      </Group>
      {loading && (
        <Group role="status">
          <Loader size="sm" />
          <Text>{t('reports.generating')}</Text>
        </Group>
      )}
      <ErrorNotice error={error} />
      {data && (
        <Anchor href={data.synthesisReport.url} data-testid="report-link">
          {t('reports.download', { name: data.synthesisReport.filename })}
        </Anchor>
      )}
    </Stack>
  );
}
