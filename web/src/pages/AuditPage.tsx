import { Alert, Button, Code, Group, Loader, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useLazyQuery, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { Language } from '../i18n';
import { LOCALE } from '../lib/format';
import { canAdministerUsers, type Viewer } from '../lib/permissions';

const TRAIL = graphql(`
  query AuditTrail($filter: AuditFilter!, $after: String) {
    auditTrail(filter: $filter, first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          context
          streamId
          version
          position
          type
          at
          actorUsername
          data
        }
      }
    }
  }
`);

const VERIFY = graphql(`
  query VerifyAuditTrail($streamId: ID) {
    verifyAuditTrail(streamId: $streamId) {
      ok
      streams
      commits
      firstBad {
        reason
        position
        streamId
        version
        detail
      }
      contexts {
        context
        ok
        commits
      }
    }
  }
`);

const CONTEXTS = ['campaigns', 'training', 'partnerships', 'advocacy', 'finance', 'gateway'];

/** The audit trail (who did what, when), filtered and paged, and the verification of the log's hash chain. */
export function AuditPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  // An admin without a business role reads the gateway's own stream only.
  const adminOnly = canAdministerUsers(viewer) && !viewer.roles.some((r) => r === 'auditor' || r === 'director');
  const [context, setContext] = useState<string | null>(adminOnly ? 'gateway' : null);
  const [streamId, setStreamId] = useState('');
  const [actor, setActor] = useState('');
  const [newestFirst, setNewestFirst] = useState(true);
  const [filter, setFilter] = useState<Record<string, unknown>>({ newestFirst: true, ...(adminOnly ? { context: 'gateway' } : {}) });
  const { data, loading, error, fetchMore, refetch } = useQuery(TRAIL, { variables: { filter }, fetchPolicy: 'network-only' });
  const [verify, verified] = useLazyQuery(VERIFY, { fetchPolicy: 'network-only' });
  const at = new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'short', timeStyle: 'medium', timeZone: 'UTC' });
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter({
      newestFirst,
      ...(context ? { context } : {}),
      ...(streamId.trim() ? { streamId: streamId.trim() } : {}),
      ...(actor.trim() ? { actor: actor.trim() } : {}),
    });
  };
  const v = verified.data?.verifyAuditTrail;
  return (
    <Stack>
      <Title order={2}>{t('audit.title')}</Title>
      <Group component="form" align="end" onSubmit={apply} aria-label={t('audit.filter')}>
        <Select
          label={t('audit.context')}
          value={context ?? ''}
          disabled={adminOnly}
          onChange={(x) => setContext(x || null)}
          data={[{ value: '', label: t('campaigns.any') }, ...CONTEXTS.map((c) => ({ value: c, label: c }))]}
          w={160}
        />
        <TextInput label={t('audit.stream')} value={streamId} onChange={(e) => setStreamId(e.currentTarget.value)} />
        <TextInput label={t('audit.actor')} value={actor} onChange={(e) => setActor(e.currentTarget.value)} />
        <Switch label={t('audit.newestFirst')} checked={newestFirst} onChange={(e) => setNewestFirst(e.currentTarget.checked)} />
        <Button type="submit">{t('audit.apply')}</Button>
        <Button
          variant="light"
          onClick={() => void verify({ variables: { streamId: streamId.trim() || null } })}
          loading={verified.loading}
        >
          {t('audit.verify')}
        </Button>
      </Group>
      {verified.loading && (
        <Group role="status">
          <Loader size="sm" />
          <Text>{t('audit.verifying')}</Text>
        </Group>
      )}
      <ErrorNotice error={verified.error} />
      {v && (
        <Alert
          color={v.ok ? '#1b5e20' : '#b71c1c'}
          data-testid="audit-verification"
          role="status"
          title={v.ok ? t('audit.intact') : t('audit.broken')}
        >
          {t('audit.checked', { commits: v.commits, streams: v.streams })}
          {v.firstBad && (
            <Text mt="xs">
              {t('audit.firstBad', { position: v.firstBad.position, stream: v.firstBad.streamId ?? '—' })} {v.firstBad.reason}:{' '}
              {v.firstBad.detail}
            </Text>
          )}
        </Alert>
      )}
      <ErrorNotice error={error} onReload={() => void refetch()} />
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && (
        <>
          <Table data-testid="audit" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.context')}</Table.Th>
                <Table.Th>{t('audit.stream')}</Table.Th>
                <Table.Th>{t('audit.event')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.auditTrail.edges.map(({ node: e }) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{at.format(new Date(e.at))}</Table.Td>
                  <Table.Td>{e.actorUsername}</Table.Td>
                  <Table.Td>{e.context}</Table.Td>
                  <Table.Td>
                    <Code>
                      {e.streamId}@{e.version}
                    </Code>
                  </Table.Td>
                  <Table.Td title={e.data}>{e.type}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.auditTrail.pageInfo.hasNextPage && (
            <Button
              variant="light"
              onClick={() =>
                void fetchMore({
                  variables: { after: data.auditTrail.pageInfo.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({
                    auditTrail: { ...fetchMoreResult.auditTrail, edges: [...prev.auditTrail.edges, ...fetchMoreResult.auditTrail.edges] },
                  }),
                })
              }
            >
              {t('campaigns.more')}
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
