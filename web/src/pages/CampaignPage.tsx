import { Badge, Button, Card, Group, Loader, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { ActivityKind } from '../gql/graphql';
import type { Language } from '../i18n';
import { formatDate, formatMoney, formatNumber, localized } from '../lib/format';
import { canManageCampaigns, scopedRegion, type Viewer } from '../lib/permissions';
import { REGIONS } from '../lib/regions';

const CAMPAIGN = graphql(`
  query Campaign($id: ID!, $minPosition: String) {
    campaign(id: $id, minPosition: $minPosition) {
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
      targetReach
      reach
      fundingStatus
      fundingRejectionReason
      cancellationReason
      estimatedCost {
        amount
        currency
      }
      activities {
        id
        kind
        date
        region
        status
        participants {
          total
        }
      }
    }
  }
`);

const PLAN = graphql(`
  mutation PlanCampaign($id: ID!, $v: Int) {
    planCampaign(id: $id, expectedVersion: $v) {
      position
      campaign {
        id
        version
        status
        fundingStatus
      }
    }
  }
`);
const LAUNCH = graphql(`
  mutation LaunchCampaign($id: ID!, $v: Int) {
    launchCampaign(id: $id, expectedVersion: $v) {
      position
      campaign {
        id
        version
        status
      }
    }
  }
`);
const COMPLETE = graphql(`
  mutation CompleteCampaign($id: ID!, $v: Int) {
    completeCampaign(id: $id, expectedVersion: $v) {
      position
      campaign {
        id
        version
        status
      }
    }
  }
`);
const CANCEL = graphql(`
  mutation CancelCampaign($id: ID!, $reason: String!, $v: Int) {
    cancelCampaign(id: $id, reason: $reason, expectedVersion: $v) {
      position
      campaign {
        id
        version
        status
        cancellationReason
      }
    }
  }
`);
const SCHEDULE = graphql(`
  mutation ScheduleActivity($id: ID!, $input: ScheduleActivityInput!, $v: Int) {
    scheduleActivity(campaignId: $id, input: $input, expectedVersion: $v) {
      position
      campaign {
        id
        version
      }
    }
  }
`);
const HELD = graphql(`
  mutation RecordActivityHeld($id: ID!, $activityId: ID!, $input: ActivityOutcomeInput!, $v: Int) {
    recordActivityHeld(campaignId: $id, activityId: $activityId, input: $input, expectedVersion: $v) {
      position
      campaign {
        id
        version
      }
    }
  }
`);

const KINDS: ActivityKind[] = ['WORKSHOP', 'SEMINAR', 'CONFERENCE', 'WEBINAR', 'MEDIA_SPOT', 'CARAVAN'];

/**
 * A campaign and the actions its life cycle allows now, offered only to who may take them. Each
 * action sends the version shown (a stale one is refused with an offer to reload) and the screen
 * then reads at the action's position: the new state, never an older one.
 */
export function CampaignPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const { id } = useParams();
  const location = useLocation() as { state?: { minPosition?: string } };
  const [minPosition, setMinPosition] = useState<string | undefined>(location.state?.minPosition);
  const { data, previousData, loading, error, refetch } = useQuery(CAMPAIGN, {
    variables: { id: id!, minPosition },
    fetchPolicy: 'network-only',
  });
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [plan] = useMutation(PLAN);
  const [launch] = useMutation(LAUNCH);
  const [complete] = useMutation(COMPLETE);
  const [cancel] = useMutation(CANCEL);
  const [schedule] = useMutation(SCHEDULE);
  const [held] = useMutation(HELD);
  const [reason, setReason] = useState('');

  // While the next read (at the action's position) loads, the screen keeps what it shows: no flicker.
  const c = (data ?? previousData)?.campaign;
  const run = async (action: () => Promise<{ data?: unknown } | undefined>) => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await action();
      const payload = Object.values((r?.data ?? {}) as Record<string, { position: string }>)[0];
      if (payload) setMinPosition(payload.position);
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  if (loading && !c) return <Loader aria-label={t('common.loading')} />;
  if (error) return <ErrorNotice error={error} onReload={() => void refetch()} />;
  if (!c) return <Text>{t('errors.notFound')}</Text>;
  const may = canManageCampaigns(viewer, c.regions);
  const v = c.version;
  return (
    <Stack>
      <Link to="/campaigns">{t('common.back')}</Link>
      <Group justify="space-between">
        <Title order={2}>{localized(c.title, language)}</Title>
        <Group>
          <Badge size="lg" data-testid="campaign-status">
            {t(`status.${c.status}`)}
          </Badge>
          <Text size="sm">{t('campaigns.version', { version: c.version })}</Text>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 4 }}>
        <Card withBorder>
          <Text size="xs">{t('campaigns.regions')}</Text>
          <Text>{c.regions.join(', ')}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs">
            {t('campaigns.start')} – {t('campaigns.end')}
          </Text>
          <Text>
            {formatDate(c.startDate, language)} – {formatDate(c.endDate, language)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs">{t('campaigns.reach')}</Text>
          <Text>
            {formatNumber(c.reach, language)} / {formatNumber(c.targetReach, language)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="xs">{t('campaigns.funding')}</Text>
          <Text data-testid="funding-status">
            {t(`funding.${c.fundingStatus}`)}
            {c.estimatedCost ? ` · ${formatMoney(c.estimatedCost.amount, language)}` : ''}
          </Text>
          {c.fundingRejectionReason && <Text size="sm">{c.fundingRejectionReason}</Text>}
        </Card>
      </SimpleGrid>
      <ErrorNotice error={actionError} onReload={() => void refetch().then(() => setActionError(null))} />
      {may && (
        <Group data-testid="campaign-actions">
          {c.status === 'DRAFT' && (
            <Button loading={busy} onClick={() => void run(() => plan({ variables: { id: c.id, v } }))}>
              {t('actions.plan')}
            </Button>
          )}
          {c.status === 'PLANNED' && (
            <Button loading={busy} onClick={() => void run(() => launch({ variables: { id: c.id, v } }))}>
              {t('actions.launch')}
            </Button>
          )}
          {c.status === 'ACTIVE' && (
            <Button loading={busy} onClick={() => void run(() => complete({ variables: { id: c.id, v } }))}>
              {t('actions.complete')}
            </Button>
          )}
          {(c.status === 'DRAFT' || c.status === 'PLANNED' || c.status === 'ACTIVE') && (
            <Group align="end">
              <TextInput label={t('actions.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
              <Button
                color="red"
                variant="light"
                loading={busy}
                disabled={!reason.trim()}
                onClick={() => void run(() => cancel({ variables: { id: c.id, reason, v } }))}
              >
                {t('actions.cancelCampaign')}
              </Button>
            </Group>
          )}
        </Group>
      )}
      <Title order={3} size="h4">
        {t('campaigns.activities')}
      </Title>
      <Table data-testid="activities">
        <Table.Tbody>
          {c.activities.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{t(`kinds.${a.kind}`)}</Table.Td>
              <Table.Td>{formatDate(a.date, language)}</Table.Td>
              <Table.Td>{a.region}</Table.Td>
              <Table.Td>{t(`activityStatus.${a.status}`)}</Table.Td>
              <Table.Td>{a.participants ? formatNumber(a.participants.total, language) : ''}</Table.Td>
              <Table.Td>
                {may && a.status === 'SCHEDULED' && c.status === 'ACTIVE' && (
                  <HeldForm
                    busy={busy}
                    onSave={(p) => void run(() => held({ variables: { id: c.id, activityId: a.id, input: { participants: p }, v } }))}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {may && (c.status === 'PLANNED' || c.status === 'ACTIVE') && (
        <ScheduleForm
          busy={busy}
          regions={activityRegions(c.regions, scopedRegion(viewer))}
          onSave={(input) => void run(() => schedule({ variables: { id: c.id, input, v } }))}
        />
      )}
    </Stack>
  );
}

function ScheduleForm(props: {
  busy: boolean;
  regions: string[];
  onSave: (i: { kind: ActivityKind; date: string; region: string }) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ActivityKind>('WORKSHOP');
  const [date, setDate] = useState('');
  const [region, setRegion] = useState(props.regions[0]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSave({ kind, date, region });
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label={t('actions.schedule')}>
      <Title order={4} size="h5" mb="xs">
        {t('actions.schedule')}
      </Title>
      <Group align="end">
        <Select
          label={t('actions.kind')}
          data={KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          value={kind}
          onChange={(v) => v && setKind(v)}
          allowDeselect={false}
        />
        <TextInput type="date" label={t('actions.date')} required value={date} onChange={(e) => setDate(e.currentTarget.value)} />
        <Select
          label={t('campaigns.region')}
          data={props.regions}
          value={region}
          onChange={(v) => v && setRegion(v)}
          allowDeselect={false}
        />
        <Button type="submit" loading={props.busy}>
          {t('actions.save')}
        </Button>
      </Group>
    </Card>
  );
}

function HeldForm(props: {
  busy: boolean;
  onSave: (p: { female: number; male: number; undisclosed: number; withDisability: number }) => void;
}) {
  const { t } = useTranslation();
  const [p, setP] = useState({ female: 0, male: 0, undisclosed: 0, withDisability: 0 });
  const field = (k: keyof typeof p) => (
    <NumberInput label={t(`actions.${k}`)} min={0} w={110} value={p[k]} onChange={(v) => setP({ ...p, [k]: Number(v) || 0 })} />
  );
  return (
    <form
      aria-label={t('actions.held')}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(p);
      }}
    >
      <Group align="end" gap="xs">
        {field('female')}
        {field('male')}
        {field('undisclosed')}
        {field('withDisability')}
        <Button type="submit" size="sm" loading={props.busy}>
          {t('actions.held')}
        </Button>
      </Group>
    </form>
  );
}

/** Where an activity of the campaign may be: its regions (any for a national one), a regional officer's own only. */
function activityRegions(campaign: readonly string[], held: string | undefined): string[] {
  const open = campaign.includes('NATIONAL') ? [...REGIONS] : [...campaign];
  return held ? open.filter((r) => r === held) : open;
}
