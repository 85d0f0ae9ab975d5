import {
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { AgeGroup, Profession, Sex } from '../gql/graphql';
import type { Language } from '../i18n';
import { formatDate, formatNumber, localized } from '../lib/format';
import { canManageTraining, type Viewer } from '../lib/permissions';
import { PROFESSIONS } from './TrainingPage';

const SESSION = graphql(`
  query TrainingSession($id: ID!, $minPosition: String) {
    trainingSession(id: $id, minPosition: $minPosition) {
      id
      version
      status
      region
      venue
      startDate
      endDate
      capacity
      enrolledCount
      module {
        title {
          fr
          ar
          en
          zgh
        }
      }
      participants {
        id
        fullName
        sex
        profession
        status
        attendanceRate
        preScore
        postScore
      }
      certificates {
        code
        participantId
        issuedAt
        revokedAt
      }
    }
  }
`);

const ENROL = graphql(`
  mutation EnrolParticipant($id: ID!, $input: ParticipantInput!, $v: Int) {
    enrolParticipant(sessionId: $id, input: $input, expectedVersion: $v) {
      position
      trainingSession {
        id
        version
      }
    }
  }
`);
const START = graphql(`
  mutation StartTrainingSession($id: ID!, $v: Int) {
    startTrainingSession(id: $id, expectedVersion: $v) {
      position
      trainingSession {
        id
        version
      }
    }
  }
`);
const ATTEND = graphql(`
  mutation RecordAttendance($id: ID!, $day: Date!, $present: [ID!]!, $v: Int) {
    recordAttendance(sessionId: $id, day: $day, presentParticipantIds: $present, expectedVersion: $v) {
      position
      trainingSession {
        id
        version
      }
    }
  }
`);
const ASSESS = graphql(`
  mutation RecordAssessment($id: ID!, $p: ID!, $score: Int!, $v: Int) {
    recordAssessment(sessionId: $id, participantId: $p, phase: POST, score: $score, expectedVersion: $v) {
      position
      trainingSession {
        id
        version
      }
    }
  }
`);
const COMPLETE = graphql(`
  mutation CompleteTrainingSession($id: ID!, $v: Int) {
    completeTrainingSession(id: $id, expectedVersion: $v) {
      position
      trainingSession {
        id
        version
      }
    }
  }
`);

const SEXES: Sex[] = ['F', 'M', 'UNDISCLOSED'];
const AGES: AgeGroup[] = ['UNDER_18', 'AGE_18_24', 'AGE_25_34', 'AGE_35_59', 'AGE_60_PLUS'];

/** A session: enrolment, attendance, assessment, completion and its certificates, for those who run it. */
export function SessionPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const { id } = useParams();
  const location = useLocation() as { state?: { minPosition?: string } };
  const [minPosition, setMinPosition] = useState<string | undefined>(location.state?.minPosition);
  const { data, previousData, loading, error, refetch } = useQuery(SESSION, {
    variables: { id: id!, minPosition },
    fetchPolicy: 'network-only',
  });
  const [enrol] = useMutation(ENROL);
  const [start] = useMutation(START);
  const [attend] = useMutation(ATTEND);
  const [assess] = useMutation(ASSESS);
  const [complete] = useMutation(COMPLETE);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [person, setPerson] = useState({
    fullName: '',
    institution: '',
    sex: 'F' as Sex,
    ageGroup: 'AGE_25_34' as AgeGroup,
    profession: 'TEACHER' as Profession,
  });
  const [day, setDay] = useState('');
  const [present, setPresent] = useState<string[]>([]);
  const [scores, setScores] = useState<Record<string, number>>({});
  const run = async (action: () => Promise<{ data?: unknown }>) => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await action();
      const payload = Object.values((r.data ?? {}) as Record<string, { position: string }>)[0];
      if (payload) setMinPosition(payload.position);
      return true;
    } catch (e) {
      setActionError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  // While the next read (at the action's position) loads, the screen keeps what it shows: no flicker.
  const s = (data ?? previousData)?.trainingSession;
  if (loading && !s) return <Loader aria-label={t('common.loading')} />;
  if (error) return <ErrorNotice error={error} onReload={() => void refetch()} />;
  if (!s) return <Text>{t('errors.notFound')}</Text>;
  const may = canManageTraining(viewer, s.region);
  const v = s.version;
  const nameOf = (pid: string) => s.participants.find((p) => p.id === pid)?.fullName ?? pid;
  return (
    <Stack>
      <Link to="/training">{t('common.back')}</Link>
      <Group justify="space-between">
        <Title order={2}>{localized(s.module.title, language)}</Title>
        <Group>
          <Badge size="lg" data-testid="session-status">
            {t(`training.status.${s.status}`, { defaultValue: s.status })}
          </Badge>
          <Text size="sm">{t('campaigns.version', { version: s.version })}</Text>
        </Group>
      </Group>
      <Text>
        {s.region} · {s.venue} · {formatDate(s.startDate, language)} – {formatDate(s.endDate, language)} · {s.enrolledCount} / {s.capacity}
      </Text>
      <ErrorNotice error={actionError} onReload={() => void refetch().then(() => setActionError(null))} />
      {may && (
        <Group data-testid="session-actions">
          {s.status === 'SCHEDULED' && (
            <Button loading={busy} onClick={() => void run(() => start({ variables: { id: s.id, v } }))}>
              {t('training.start')}
            </Button>
          )}
          {s.status === 'IN_PROGRESS' && (
            <Button loading={busy} onClick={() => void run(() => complete({ variables: { id: s.id, v } }))}>
              {t('training.complete')}
            </Button>
          )}
        </Group>
      )}
      <Title order={3} size="h4">
        {t('training.participants')}
      </Title>
      <Table data-testid="participants">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('training.fullName')}</Table.Th>
            <Table.Th>{t('training.profession')}</Table.Th>
            <Table.Th>{t('training.attendance')}</Table.Th>
            <Table.Th>{t('training.postScore')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {s.participants.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                {s.status === 'IN_PROGRESS' && may ? (
                  <Checkbox
                    label={p.fullName}
                    checked={present.includes(p.id)}
                    onChange={(e) => setPresent(e.currentTarget.checked ? [...present, p.id] : present.filter((x) => x !== p.id))}
                  />
                ) : (
                  p.fullName
                )}
              </Table.Td>
              <Table.Td>{t(`keys.${p.profession}`, { defaultValue: p.profession })}</Table.Td>
              <Table.Td>{formatNumber(p.attendanceRate * 100, language, 0)} %</Table.Td>
              <Table.Td>
                {s.status === 'IN_PROGRESS' && may ? (
                  <Group gap="xs" align="end">
                    <NumberInput
                      aria-label={`${t('training.postScore')} — ${p.fullName}`}
                      min={0}
                      max={100}
                      w={90}
                      value={scores[p.id] ?? p.postScore ?? ''}
                      onChange={(x) => setScores({ ...scores, [p.id]: Number(x) })}
                    />
                    <Button
                      size="xs"
                      variant="light"
                      // One action at a time: two in flight would carry the same expected version.
                      disabled={busy || scores[p.id] === undefined}
                      onClick={() => void run(() => assess({ variables: { id: s.id, p: p.id, score: scores[p.id], v } }))}
                    >
                      {t('actions.save')}
                    </Button>
                  </Group>
                ) : (
                  (p.postScore ?? '—')
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {may && s.status === 'IN_PROGRESS' && (
        <Group
          component="form"
          align="end"
          aria-label={t('training.recordAttendance')}
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void run(() => attend({ variables: { id: s.id, day, present, v } }));
          }}
        >
          <TextInput type="date" label={t('training.day')} required value={day} onChange={(e) => setDay(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>
            {t('training.recordAttendance')}
          </Button>
        </Group>
      )}
      {may && (s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS') && (
        <Card
          withBorder
          component="form"
          aria-label={t('training.enrol')}
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void run(() => enrol({ variables: { id: s.id, input: { ...person, region: s.region }, v } })).then(
              (ok) => ok && setPerson({ ...person, fullName: '', institution: '' }),
            );
          }}
        >
          <Title order={4} size="h5" mb="xs">
            {t('training.enrol')}
          </Title>
          <Group align="end">
            <TextInput
              label={t('training.fullName')}
              required
              value={person.fullName}
              onChange={(e) => setPerson({ ...person, fullName: e.currentTarget.value })}
            />
            <TextInput
              label={t('training.institution')}
              required
              value={person.institution}
              onChange={(e) => setPerson({ ...person, institution: e.currentTarget.value })}
            />
            <Select
              label={t('training.sex')}
              data={SEXES.map((x) => ({ value: x, label: t(`training.sexes.${x}`) }))}
              value={person.sex}
              onChange={(x) => x && setPerson({ ...person, sex: x })}
              allowDeselect={false}
              w={130}
            />
            <Select
              label={t('training.ageGroup')}
              data={AGES.map((x) => ({ value: x, label: t(`training.ages.${x}`) }))}
              value={person.ageGroup}
              onChange={(x) => x && setPerson({ ...person, ageGroup: x })}
              allowDeselect={false}
              w={150}
            />
            <Select
              label={t('training.profession')}
              data={PROFESSIONS.map((x) => ({ value: x, label: t(`keys.${x}`) }))}
              value={person.profession}
              onChange={(x) => x && setPerson({ ...person, profession: x })}
              allowDeselect={false}
            />
            <Button type="submit" loading={busy}>
              {t('training.enrol')}
            </Button>
          </Group>
        </Card>
      )}
      {s.certificates.length > 0 && (
        <>
          <Title order={3} size="h4">
            {t('training.certificates')}
          </Title>
          <Table data-testid="certificates">
            <Table.Tbody>
              {s.certificates.map((c) => (
                <Table.Tr key={c.code}>
                  <Table.Td>{nameOf(c.participantId)}</Table.Td>
                  <Table.Td>
                    <Anchor href={`${import.meta.env.BASE_URL}verify?code=${encodeURIComponent(c.code)}`}>{c.code}</Anchor>
                  </Table.Td>
                  <Table.Td>{formatDate(c.issuedAt, language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
