import { Badge, Button, Card, Group, Loader, MultiSelect, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { Profession, TrainingSessionStatus } from '../gql/graphql';
import type { Language } from '../i18n';
import { formatDate, localized } from '../lib/format';
import { canManageModules, canManageTraining, scopedRegion, type Viewer } from '../lib/permissions';
import { REGIONS } from '../lib/regions';

const TRAINING = graphql(`
  query Training($filter: TrainingSessionFilter, $after: String, $minPosition: String) {
    trainingModules(first: 100, minPosition: $minPosition) {
      totalCount
      edges {
        node {
          id
          version
          status
          title {
            fr
            ar
            en
            zgh
          }
          professions
        }
      }
    }
    trainingSessions(filter: $filter, first: 20, after: $after, minPosition: $minPosition) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          region
          venue
          startDate
          endDate
          capacity
          enrolledCount
          module {
            id
            title {
              fr
              ar
              en
              zgh
            }
          }
        }
      }
    }
  }
`);

const CREATE_MODULE = graphql(`
  mutation CreateTrainingModule($input: CreateTrainingModuleInput!) {
    createTrainingModule(input: $input) {
      position
      trainingModule {
        id
        version
        status
      }
    }
  }
`);
const PUBLISH_MODULE = graphql(`
  mutation PublishTrainingModule($id: ID!, $v: Int) {
    publishTrainingModule(id: $id, expectedVersion: $v) {
      position
      trainingModule {
        id
        version
        status
      }
    }
  }
`);
const SCHEDULE_SESSION = graphql(`
  mutation ScheduleTrainingSession($input: ScheduleTrainingSessionInput!) {
    scheduleTrainingSession(input: $input) {
      position
      trainingSession {
        id
        version
      }
    }
  }
`);

export const PROFESSIONS: Profession[] = [
  'CIVIL_SERVANT',
  'TEACHER',
  'HEALTH_PROFESSIONAL',
  'CIVIL_SOCIETY',
  'LAW_ENFORCEMENT',
  'JUDICIARY',
  'JOURNALIST',
  'LAWYER',
  'SOCIAL_WORKER',
  'OTHER',
];
const STATUSES: TrainingSessionStatus[] = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'];

/** Training: the modules (created and published by coordinators) and the sessions, with filters and paging. */
export function TrainingPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const navigate = useNavigate();
  const held = scopedRegion(viewer);
  const [status, setStatus] = useState<string | null>(null);
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const filter = { ...(status ? { status: [status as TrainingSessionStatus] } : {}), ...(held ? { region: held } : {}) };
  const { data, loading, error, refetch, fetchMore } = useQuery(TRAINING, { variables: { filter, minPosition } });
  const [createModule, created] = useMutation(CREATE_MODULE);
  const [publish, published] = useMutation(PUBLISH_MODULE);
  const [schedule, scheduled] = useMutation(SCHEDULE_SESSION);
  const [moduleTitle, setModuleTitle] = useState('');
  const [professions, setProfessions] = useState<string[]>([]);
  const [hours, setHours] = useState(6);
  const [session, setSession] = useState({
    moduleId: '',
    region: held ?? 'MA-01',
    venue: '',
    startDate: '',
    endDate: '',
    capacity: 20,
    trainers: '',
  });
  const modules = (data?.trainingModules.edges ?? []).map((e) => e.node);
  const modulesOpen = modules.filter((m) => m.status === 'PUBLISHED');
  const submitModule = async (e: FormEvent) => {
    e.preventDefault();
    const r = await createModule({
      variables: { input: { title: { fr: moduleTitle }, professions: professions as Profession[], instruments: [], hours } },
    }).catch(() => null);
    if (r?.data) {
      setModuleTitle('');
      setMinPosition(r.data.createTrainingModule.position);
    }
  };
  const submitSession = async (e: FormEvent) => {
    e.preventDefault();
    const r = await schedule({
      variables: {
        input: {
          moduleId: session.moduleId,
          region: session.region,
          venue: session.venue,
          startDate: session.startDate,
          endDate: session.endDate,
          capacity: session.capacity,
          passMark: 60,
          trainers: session.trainers
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        },
      },
    }).catch(() => null);
    const done = r?.data?.scheduleTrainingSession;
    if (done) void navigate(`/training/${done.trainingSession.id}`, { state: { minPosition: done.position } });
  };
  return (
    <Stack>
      <Title order={2}>{t('training.title')}</Title>
      <ErrorNotice error={error ?? created.error ?? published.error ?? scheduled.error} onReload={() => void refetch()} />
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && (
        <>
          <Title order={3} size="h4">
            {t('training.modules')}
          </Title>
          <Table data-testid="modules">
            <Table.Tbody>
              {modules.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{localized(m.title, language)}</Table.Td>
                  <Table.Td>{m.professions.map((p) => t(`keys.${p}`, { defaultValue: p })).join(', ')}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`training.moduleStatus.${m.status}`, { defaultValue: m.status })}</Badge>
                  </Table.Td>
                  <Table.Td>
                    {canManageModules(viewer) && m.status === 'DRAFT' && (
                      <Button
                        size="xs"
                        onClick={() =>
                          void publish({ variables: { id: m.id, v: m.version } })
                            .then((r) => r.data && setMinPosition(r.data.publishTrainingModule.position))
                            .catch(() => null)
                        }
                      >
                        {t('training.publish')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {canManageModules(viewer) && (
            <Card withBorder component="form" onSubmit={(e: FormEvent) => void submitModule(e)} aria-label={t('training.newModule')}>
              <Group align="end">
                <TextInput
                  label={t('training.moduleTitle')}
                  required
                  value={moduleTitle}
                  onChange={(e) => setModuleTitle(e.currentTarget.value)}
                />
                <MultiSelect
                  required
                  label={t('training.professions')}
                  data={PROFESSIONS.map((p) => ({ value: p, label: t(`keys.${p}`) }))}
                  value={professions}
                  onChange={setProfessions}
                  w={280}
                />
                <NumberInput label={t('training.hours')} min={1} value={hours} onChange={(v) => setHours(Number(v) || 1)} w={100} />
                <Button type="submit" loading={created.loading}>
                  {t('training.newModule')}
                </Button>
              </Group>
            </Card>
          )}
          <Group justify="space-between" align="end">
            <Title order={3} size="h4">
              {t('training.sessions')}
            </Title>
            <Select
              label={t('campaigns.status')}
              value={status ?? ''}
              onChange={(v) => setStatus(v || null)}
              data={[{ value: '', label: t('campaigns.any') }, ...STATUSES.map((s) => ({ value: s, label: t(`training.status.${s}`) }))]}
            />
          </Group>
          <Text size="sm" data-testid="session-count">
            {t('training.count', { count: data.trainingSessions.totalCount })}
          </Text>
          <Table data-testid="sessions">
            <Table.Tbody>
              {data.trainingSessions.edges.map(({ node: s }) => (
                <Table.Tr key={s.id}>
                  <Table.Td>
                    <Link to={`/training/${s.id}`}>{localized(s.module.title, language)}</Link>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`training.status.${s.status}`, { defaultValue: s.status })}</Badge>
                  </Table.Td>
                  <Table.Td>
                    {s.region} · {s.venue}
                  </Table.Td>
                  <Table.Td>
                    {formatDate(s.startDate, language)} – {formatDate(s.endDate, language)}
                  </Table.Td>
                  <Table.Td>
                    {s.enrolledCount} / {s.capacity}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.trainingSessions.pageInfo.hasNextPage && (
            <Button
              variant="light"
              onClick={() =>
                void fetchMore({
                  variables: { after: data.trainingSessions.pageInfo.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({
                    ...fetchMoreResult,
                    trainingSessions: {
                      ...fetchMoreResult.trainingSessions,
                      edges: [...prev.trainingSessions.edges, ...fetchMoreResult.trainingSessions.edges],
                    },
                  }),
                })
              }
            >
              {t('campaigns.more')}
            </Button>
          )}
          {canManageTraining(viewer) && modulesOpen.length > 0 && (
            <Card withBorder component="form" onSubmit={(e: FormEvent) => void submitSession(e)} aria-label={t('training.newSession')}>
              <Title order={4} size="h5" mb="xs">
                {t('training.newSession')}
              </Title>
              <Group align="end">
                <Select
                  label={t('training.module')}
                  required
                  data={modulesOpen.map((m) => ({ value: m.id, label: localized(m.title, language) }))}
                  value={session.moduleId || null}
                  onChange={(v) => setSession({ ...session, moduleId: v ?? '' })}
                />
                <Select
                  label={t('campaigns.region')}
                  data={held ? [held] : [...REGIONS]}
                  value={session.region}
                  onChange={(v) => v && setSession({ ...session, region: v })}
                  allowDeselect={false}
                  w={110}
                />
                <TextInput
                  label={t('training.venue')}
                  required
                  value={session.venue}
                  onChange={(e) => setSession({ ...session, venue: e.currentTarget.value })}
                />
                <TextInput
                  type="date"
                  label={t('campaigns.start')}
                  required
                  value={session.startDate}
                  onChange={(e) => setSession({ ...session, startDate: e.currentTarget.value })}
                />
                <TextInput
                  type="date"
                  label={t('campaigns.end')}
                  required
                  value={session.endDate}
                  onChange={(e) => setSession({ ...session, endDate: e.currentTarget.value })}
                />
                <NumberInput
                  label={t('training.capacity')}
                  min={1}
                  value={session.capacity}
                  onChange={(v) => setSession({ ...session, capacity: Number(v) || 1 })}
                  w={100}
                />
                <TextInput
                  label={t('training.trainers')}
                  required
                  value={session.trainers}
                  onChange={(e) => setSession({ ...session, trainers: e.currentTarget.value })}
                />
                <Button type="submit" loading={scheduled.loading}>
                  {t('training.schedule')}
                </Button>
              </Group>
            </Card>
          )}
        </>
      )}
    </Stack>
  );
}
