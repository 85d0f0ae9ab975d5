import { Badge, Button, Card, Group, Loader, MultiSelect, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { CampaignStatus } from '../gql/graphql';
import type { Language } from '../i18n';
import { formatDate, formatMoney, localized } from '../lib/format';
import { canManageCampaigns, scopedRegion, type Viewer } from '../lib/permissions';
import { REGIONS } from '../lib/regions';

const CAMPAIGNS = graphql(`
  query Campaigns($filter: CampaignFilter, $after: String, $minPosition: String) {
    campaigns(filter: $filter, first: 20, after: $after, minPosition: $minPosition) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          version
          title {
            fr
            ar
            en
            zgh
          }
          status
          regions
          startDate
          endDate
          fundingStatus
        }
      }
    }
  }
`);

const CREATE = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      position
      campaign {
        id
        version
        status
      }
    }
  }
`);

const BUDGET_LINES = graphql(`
  query BudgetLines($year: Int!) {
    budget(fiscalYear: $year) {
      id
      status
      lines {
        id
        label
        programmeArea
        available {
          amount
          currency
        }
      }
    }
  }
`);

const STATUSES: CampaignStatus[] = ['DRAFT', 'PLANNED', 'ACTIVE', 'COMPLETED', 'CANCELLED'];

/** Campaigns with filters and cursor paging; a new one for those who may create it. */
export function CampaignsPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [status, setStatus] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const held = scopedRegion(viewer);
  const filter = {
    ...(status ? { status: [status as CampaignStatus] } : {}),
    ...(search ? { search } : {}),
    ...(held ? { region: held } : {}),
  };
  const { data, loading, error, fetchMore, refetch } = useQuery(CAMPAIGNS, { variables: { filter } });
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('campaigns.title')}</Title>
        {canManageCampaigns(viewer) && !creating && (
          <Button onClick={() => setCreating(true)} data-testid="new-campaign">
            {t('campaigns.new')}
          </Button>
        )}
      </Group>
      {creating && <CreateCampaignForm viewer={viewer} onCancel={() => setCreating(false)} />}
      <Group mb="md" align="end">
        <TextInput label={t('campaigns.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <Select
          label={t('campaigns.status')}
          value={status ?? ''}
          onChange={(v) => setStatus(v || null)}
          data={[{ value: '', label: t('campaigns.any') }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
        />
      </Group>
      <ErrorNotice error={error} onReload={() => void refetch()} />
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && (
        <>
          <Text size="sm" mb="xs" data-testid="campaign-count">
            {t('campaigns.count', { count: data.campaigns.totalCount })}
          </Text>
          <Table striped data-testid="campaigns">
            <Table.Tbody>
              {data.campaigns.edges.map(({ node: c }) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Link to={`/campaigns/${c.id}`}>{localized(c.title, language)}</Link>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`status.${c.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{c.regions.join(', ')}</Table.Td>
                  <Table.Td>
                    {formatDate(c.startDate, language)} – {formatDate(c.endDate, language)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.campaigns.pageInfo.hasNextPage && (
            <Button
              variant="light"
              mt="sm"
              onClick={() =>
                void fetchMore({
                  variables: { after: data.campaigns.pageInfo.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({
                    campaigns: { ...fetchMoreResult.campaigns, edges: [...prev.campaigns.edges, ...fetchMoreResult.campaigns.edges] },
                  }),
                })
              }
            >
              {t('campaigns.more')}
            </Button>
          )}
        </>
      )}
    </>
  );
}

function CreateCampaignForm({ viewer, onCancel }: { viewer: Viewer; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const navigate = useNavigate();
  const held = scopedRegion(viewer);
  const [titleFr, setTitleFr] = useState('');
  const [titleAr, setTitleAr] = useState('');
  const [theme, setTheme] = useState('');
  const [regions, setRegions] = useState<string[]>(held ? [held] : []);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [targetReach, setTargetReach] = useState<number>(100);
  const [cost, setCost] = useState<number | ''>('');
  const [line, setLine] = useState<string | null>(null);
  const year = Number((start || new Date().toISOString()).slice(0, 4));
  const lines = useQuery(BUDGET_LINES, { variables: { year }, errorPolicy: 'all' });
  const [create, { loading, error }] = useMutation(CREATE);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({
      variables: {
        input: {
          title: { fr: titleFr, ...(titleAr ? { ar: titleAr } : {}) },
          themes: theme ? [theme] : [],
          audiences: ['GENERAL_PUBLIC'],
          channels: ['EVENTS'],
          regions,
          startDate: start,
          endDate: end,
          targetReach,
          ...(cost !== '' ? { estimatedCost: { amount: String(Math.round(cost * 100)), currency: 'MAD' } } : {}),
          ...(line ? { budgetLineId: line } : {}),
        },
      },
    }).catch(() => null);
    const done = r?.data?.createCampaign;
    if (done) void navigate(`/campaigns/${done.campaign.id}`, { state: { minPosition: done.position } });
  };
  return (
    <Card withBorder mb="md" component="form" onSubmit={(e: FormEvent) => void submit(e)} aria-label={t('campaigns.new')}>
      <Stack>
        <ErrorNotice error={error} />
        <TextInput label={t('campaigns.titleFr')} required value={titleFr} onChange={(e) => setTitleFr(e.currentTarget.value)} />
        <TextInput label={t('campaigns.titleAr')} dir="rtl" value={titleAr} onChange={(e) => setTitleAr(e.currentTarget.value)} />
        <TextInput label={t('campaigns.theme')} value={theme} onChange={(e) => setTheme(e.currentTarget.value)} />
        <MultiSelect
          label={t('campaigns.regions')}
          required
          data={held ? [held] : [...REGIONS, 'NATIONAL']}
          value={regions}
          onChange={setRegions}
        />
        <Group grow>
          <TextInput type="date" label={t('campaigns.start')} required value={start} onChange={(e) => setStart(e.currentTarget.value)} />
          <TextInput type="date" label={t('campaigns.end')} required value={end} onChange={(e) => setEnd(e.currentTarget.value)} />
        </Group>
        <Group grow>
          <NumberInput
            label={t('campaigns.targetReach')}
            required
            min={0}
            value={targetReach}
            onChange={(v) => setTargetReach(Number(v) || 0)}
          />
          <NumberInput
            label={t('campaigns.estimatedCost')}
            min={0}
            decimalScale={2}
            value={cost}
            onChange={(v) => setCost(v === '' ? '' : Number(v))}
          />
        </Group>
        {lines.data?.budget?.lines.length ? (
          <Select
            label={t('campaigns.budgetLine')}
            clearable
            value={line}
            onChange={setLine}
            data={lines.data.budget.lines.map((l) => ({
              value: l.id,
              label: `${l.label ?? l.programmeArea} — ${formatMoney(l.available.amount, language)}`,
            }))}
          />
        ) : (
          // Finance is not readable by every role that creates campaigns: the line is then given by its id.
          <TextInput
            label={t('campaigns.budgetLine')}
            description={t('campaigns.budgetLineId')}
            value={line ?? ''}
            onChange={(e) => setLine(e.currentTarget.value.trim() || null)}
          />
        )}
        <Group>
          <Button type="submit" loading={loading}>
            {t('campaigns.create')}
          </Button>
          <Button variant="subtle" onClick={onCancel}>
            {t('campaigns.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
