import { Badge, Button, Card, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { DossierTarget, RecommendationStatus } from '../gql/graphql';
import type { Language } from '../i18n';
import { formatDate, localized } from '../lib/format';
import { canManageAdvocacy, type Viewer } from '../lib/permissions';

const ADVOCACY = graphql(`
  query Advocacy($status: [RecommendationStatus!], $minPosition: String) {
    advocacyDossiers(first: 50, minPosition: $minPosition) {
      totalCount
      edges {
        node {
          id
          topic {
            fr
            ar
            en
            zgh
          }
          target
          status
          openedAt
        }
      }
    }
    recommendations(filter: { status: $status }, first: 50) {
      totalCount
      edges {
        node {
          id
          text {
            fr
            ar
            en
            zgh
          }
          addressee
          source
          status
          issuedOn
        }
      }
    }
  }
`);
const OPEN = graphql(`
  mutation OpenDossier($input: OpenDossierInput!) {
    openDossier(input: $input) {
      position
      dossier {
        id
      }
    }
  }
`);

const TARGETS: DossierTarget[] = ['PARLIAMENT', 'GOVERNMENT', 'MINISTRY', 'LOCAL_AUTHORITY', 'JUDICIARY', 'INTERNATIONAL_BODY'];
const STATUSES: RecommendationStatus[] = ['ISSUED', 'ACKNOWLEDGED', 'UNDER_CONSIDERATION', 'ADOPTED', 'PARTIALLY_ADOPTED', 'REJECTED'];

/** Advocacy: dossiers (opened by advocacy officers) and recommendations by status. */
export function AdvocacyPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [status, setStatus] = useState<string | null>(null);
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const { data, loading, error, refetch } = useQuery(ADVOCACY, {
    variables: { status: status ? [status as RecommendationStatus] : null, minPosition },
  });
  const [open, opened] = useMutation(OPEN);
  const [form, setForm] = useState({ topic: '', target: 'PARLIAMENT' as DossierTarget });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await open({ variables: { input: { topic: { fr: form.topic }, target: form.target } } }).catch(() => null);
    if (r?.data) {
      setForm({ ...form, topic: '' });
      setMinPosition(r.data.openDossier.position);
    }
  };
  return (
    <Stack>
      <Title order={2}>{t('advocacy.title')}</Title>
      <ErrorNotice error={error ?? opened.error} onReload={() => void refetch()} />
      {canManageAdvocacy(viewer) && (
        <Card withBorder component="form" onSubmit={(e: FormEvent) => void submit(e)} aria-label={t('advocacy.open')}>
          <Group align="end">
            <TextInput
              label={t('advocacy.topic')}
              required
              value={form.topic}
              onChange={(e) => setForm({ ...form, topic: e.currentTarget.value })}
            />
            <Select
              label={t('advocacy.target')}
              data={TARGETS.map((x) => ({ value: x, label: t(`advocacy.targets.${x}`) }))}
              value={form.target}
              onChange={(x) => x && setForm({ ...form, target: x })}
              allowDeselect={false}
            />
            <Button type="submit" loading={opened.loading}>
              {t('advocacy.open')}
            </Button>
          </Group>
        </Card>
      )}
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && (
        <>
          <Title order={3} size="h4">
            {t('advocacy.dossiers')}
          </Title>
          <Table data-testid="dossiers" striped>
            <Table.Tbody>
              {data.advocacyDossiers.edges.map(({ node: d }) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{localized(d.topic, language)}</Table.Td>
                  <Table.Td>{t(`advocacy.targets.${d.target}`, { defaultValue: d.target })}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{d.status}</Badge>
                  </Table.Td>
                  <Table.Td>{formatDate(d.openedAt, language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between" align="end">
            <Title order={3} size="h4">
              {t('advocacy.recommendations')}
            </Title>
            <Select
              label={t('campaigns.status')}
              value={status ?? ''}
              onChange={(x) => setStatus(x || null)}
              data={[{ value: '', label: t('campaigns.any') }, ...STATUSES.map((x) => ({ value: x, label: t(`advocacy.statuses.${x}`) }))]}
            />
          </Group>
          <Text size="sm">{t('advocacy.count', { count: data.recommendations.totalCount })}</Text>
          <Table data-testid="recommendations">
            <Table.Tbody>
              {data.recommendations.edges.map(({ node: r }) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{localized(r.text, language)}</Table.Td>
                  <Table.Td>{r.addressee}</Table.Td>
                  <Table.Td>{t(`keys.${r.source}`, { defaultValue: r.source })}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`advocacy.statuses.${r.status}`, { defaultValue: r.status })}</Badge>
                  </Table.Td>
                  <Table.Td>{formatDate(r.issuedOn, language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
