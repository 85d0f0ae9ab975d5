import { Badge, Button, Card, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { PartnerType } from '../gql/graphql';
import type { Language } from '../i18n';
import { formatDate, localized } from '../lib/format';
import { canManagePartnerships, type Viewer } from '../lib/permissions';

const PARTNERS = graphql(`
  query Partners($filter: PartnerFilter, $after: String, $minPosition: String) {
    partners(filter: $filter, first: 20, after: $after, minPosition: $minPosition) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name {
            fr
            ar
            en
            zgh
          }
          type
          country
          status
        }
      }
    }
    expiring: agreementsExpiringWithin(days: 90) {
      id
      title {
        fr
        ar
        en
        zgh
      }
      endDate
      status
      partner {
        name {
          fr
          ar
          en
          zgh
        }
      }
    }
  }
`);
const REGISTER = graphql(`
  mutation RegisterPartner($input: RegisterPartnerInput!) {
    registerPartner(input: $input) {
      position
      partner {
        id
      }
    }
  }
`);

const TYPES: PartnerType[] = ['NGO', 'UNIVERSITY', 'INTERNATIONAL_ORGANIZATION', 'PUBLIC_INSTITUTION', 'MEDIA', 'PRIVATE_SECTOR'];

/** Partners with filters and paging, agreements expiring within 90 days, registration for partnership officers. */
export function PartnershipsPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [type, setType] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const filter = { ...(type ? { type: type as PartnerType } : {}), ...(search ? { search } : {}) };
  const { data, loading, error, refetch, fetchMore } = useQuery(PARTNERS, { variables: { filter, minPosition } });
  const [register, registered] = useMutation(REGISTER);
  const [form, setForm] = useState({ name: '', type: 'NGO' as PartnerType, country: 'MA' });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await register({ variables: { input: { name: { fr: form.name }, type: form.type, country: form.country } } }).catch(
      () => null,
    );
    if (r?.data) {
      setForm({ ...form, name: '' });
      setMinPosition(r.data.registerPartner.position);
    }
  };
  return (
    <Stack>
      <Title order={2}>{t('partnerships.title')}</Title>
      <ErrorNotice error={error ?? registered.error} onReload={() => void refetch()} />
      {canManagePartnerships(viewer) && (
        <Card withBorder component="form" onSubmit={(e: FormEvent) => void submit(e)} aria-label={t('partnerships.register')}>
          <Group align="end">
            <TextInput
              label={t('partnerships.name')}
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
            <Select
              label={t('partnerships.type')}
              data={TYPES.map((x) => ({ value: x, label: t(`partnerships.types.${x}`) }))}
              value={form.type}
              onChange={(x) => x && setForm({ ...form, type: x })}
              allowDeselect={false}
            />
            <TextInput
              label={t('partnerships.country')}
              required
              maxLength={2}
              w={90}
              value={form.country}
              onChange={(e) => setForm({ ...form, country: e.currentTarget.value.toUpperCase() })}
            />
            <Button type="submit" loading={registered.loading}>
              {t('partnerships.register')}
            </Button>
          </Group>
        </Card>
      )}
      <Group align="end">
        <TextInput label={t('campaigns.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <Select
          label={t('partnerships.type')}
          value={type ?? ''}
          onChange={(x) => setType(x || null)}
          data={[{ value: '', label: t('campaigns.any') }, ...TYPES.map((x) => ({ value: x, label: t(`partnerships.types.${x}`) }))]}
        />
      </Group>
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && (
        <>
          <Text size="sm" data-testid="partner-count">
            {t('partnerships.count', { count: data.partners.totalCount })}
          </Text>
          <Table data-testid="partners" striped>
            <Table.Tbody>
              {data.partners.edges.map(({ node: p }) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{localized(p.name, language)}</Table.Td>
                  <Table.Td>{t(`partnerships.types.${p.type}`, { defaultValue: p.type })}</Table.Td>
                  <Table.Td>{p.country}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{p.status}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.partners.pageInfo.hasNextPage && (
            <Button
              variant="light"
              onClick={() =>
                void fetchMore({
                  variables: { after: data.partners.pageInfo.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({
                    ...fetchMoreResult,
                    partners: { ...fetchMoreResult.partners, edges: [...prev.partners.edges, ...fetchMoreResult.partners.edges] },
                  }),
                })
              }
            >
              {t('campaigns.more')}
            </Button>
          )}
          <Title order={3} size="h4">
            {t('partnerships.expiring')}
          </Title>
          {data.expiring.length === 0 ? (
            <Text>{t('partnerships.noneExpiring')}</Text>
          ) : (
            <Table data-testid="expiring">
              <Table.Tbody>
                {data.expiring.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{localized(a.title, language)}</Table.Td>
                    <Table.Td>{localized(a.partner.name, language)}</Table.Td>
                    <Table.Td>{formatDate(a.endDate, language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  );
}
