import { Button, Group, Loader, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { Language } from '../i18n';
import { formatMoney, localized } from '../lib/format';
import { canDecideCommitments, type Viewer } from '../lib/permissions';

const AWAITING = graphql(`
  query AwaitingCommitments($minPosition: String) {
    commitments(filter: { status: [REQUESTED] }, first: 50, minPosition: $minPosition) {
      totalCount
      edges {
        node {
          id
          version
          status
          sourceType
          sourceId
          purpose {
            fr
            ar
            en
            zgh
          }
          amount {
            amount
            currency
          }
        }
      }
    }
  }
`);
const APPROVE = graphql(`
  mutation ApproveCommitment($id: ID!, $v: Int) {
    approveCommitment(id: $id, expectedVersion: $v) {
      position
      commitment {
        id
        version
        status
      }
    }
  }
`);
const REJECT = graphql(`
  mutation RejectCommitment($id: ID!, $reason: String!, $v: Int) {
    rejectCommitment(id: $id, reason: $reason, expectedVersion: $v) {
      position
      commitment {
        id
        version
        status
      }
    }
  }
`);

/** Commitments awaiting approval, approved or rejected by the finance officer or the director. */
export function CommitmentsPage({ viewer }: { viewer: Viewer }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [minPosition, setMinPosition] = useState<string | undefined>();
  const { data, loading, error, refetch } = useQuery(AWAITING, { variables: { minPosition }, fetchPolicy: 'network-only' });
  const [approve] = useMutation(APPROVE);
  const [reject] = useMutation(REJECT);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [actionError, setActionError] = useState<unknown>(null);
  const may = canDecideCommitments(viewer);
  const act = async (p: Promise<{ data?: unknown }>) => {
    setActionError(null);
    try {
      const r = await p;
      const payload = Object.values((r.data ?? {}) as Record<string, { position: string }>)[0];
      if (payload) setMinPosition(payload.position);
    } catch (e) {
      setActionError(e);
    }
  };
  return (
    <>
      <Title order={2} mb="md">
        {t('commitments.title')}
      </Title>
      <ErrorNotice error={error ?? actionError} onReload={() => void refetch()} />
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && data.commitments.edges.length === 0 && <Text>{t('commitments.none')}</Text>}
      {data && data.commitments.edges.length > 0 && (
        <Table data-testid="commitments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('commitments.purpose')}</Table.Th>
              <Table.Th>{t('commitments.source')}</Table.Th>
              <Table.Th>{t('commitments.amount')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.commitments.edges.map(({ node: c }) => (
              <Table.Tr key={c.id} data-source={c.sourceId ?? ''}>
                <Table.Td>{localized(c.purpose, language)}</Table.Td>
                <Table.Td>{c.sourceType ? t(`keys.${c.sourceType}`, { defaultValue: c.sourceType }) : ''}</Table.Td>
                <Table.Td>{formatMoney(c.amount.amount, language)}</Table.Td>
                <Table.Td>
                  {may && (
                    <Group gap="xs" align="end">
                      <Button size="xs" onClick={() => void act(approve({ variables: { id: c.id, v: c.version } }))}>
                        {t('actions.approve')}
                      </Button>
                      <TextInput
                        size="xs"
                        label={t('actions.reason')}
                        value={reasons[c.id] ?? ''}
                        onChange={(e) => setReasons({ ...reasons, [c.id]: e.currentTarget.value })}
                      />
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        disabled={!reasons[c.id]?.trim()}
                        onClick={() => void act(reject({ variables: { id: c.id, reason: reasons[c.id], v: c.version } }))}
                      >
                        {t('actions.reject')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
