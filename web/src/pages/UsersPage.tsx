import { Badge, Button, Card, Group, Loader, MultiSelect, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ErrorNotice';
import { graphql } from '../gql';
import type { Viewer } from '../lib/permissions';
import { REGIONS } from '../lib/regions';

const USERS = graphql(`
  query Users($after: String) {
    users(first: 100, after: $after) {
      totalCount
      edges {
        node {
          id
          username
          email
          firstName
          lastName
          roles
          region
          enabled
        }
      }
    }
  }
`);
const PROVISION = graphql(`
  mutation ProvisionUser($input: ProvisionUserInput!) {
    provisionUser(input: $input) {
      id
      username
      roles
      region
      enabled
    }
  }
`);
const DEACTIVATE = graphql(`
  mutation DeactivateUser($id: ID!, $reason: String) {
    deactivateUser(userId: $id, reason: $reason) {
      id
      enabled
    }
  }
`);

const ROLES = [
  'director',
  'me-officer',
  'campaign-manager',
  'training-coordinator',
  'partnership-officer',
  'advocacy-officer',
  'finance-officer',
  'regional-officer',
  'auditor',
  'viewer',
  'admin',
];

/** User administration (admins): the users of the realm, provisioning with roles and region, deactivation. */
export function UsersPage({ viewer }: { viewer: Viewer }) {
  const { t } = useTranslation();
  const { data, loading, error, refetch } = useQuery(USERS, { fetchPolicy: 'network-only' });
  const [provision, provisioned] = useMutation(PROVISION);
  const [deactivate, deactivated] = useMutation(DEACTIVATE);
  const [form, setForm] = useState({
    username: '',
    email: '',
    firstName: '',
    lastName: '',
    roles: [] as string[],
    region: null as string | null,
    reason: '',
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await provision({
      variables: {
        input: {
          username: form.username,
          email: form.email,
          firstName: form.firstName,
          lastName: form.lastName,
          roles: form.roles,
          ...(form.region ? { region: form.region } : {}),
          ...(form.reason ? { reason: form.reason } : {}),
        },
      },
    }).catch(() => null);
    if (r?.data) {
      setForm({ username: '', email: '', firstName: '', lastName: '', roles: [], region: null, reason: '' });
      void refetch();
    }
  };
  return (
    <Stack>
      <Title order={2}>{t('users.title')}</Title>
      <ErrorNotice error={error ?? provisioned.error ?? deactivated.error} onReload={() => void refetch()} />
      <Card withBorder component="form" onSubmit={(e: FormEvent) => void submit(e)} aria-label={t('users.provision')}>
        <Title order={3} size="h5" mb="xs">
          {t('users.provision')}
        </Title>
        <Group align="end">
          <TextInput
            label={t('users.username')}
            required
            value={form.username}
            onChange={(e) => setForm({ ...form, username: e.currentTarget.value })}
          />
          <TextInput
            type="email"
            label={t('users.email')}
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
          <TextInput
            label={t('users.firstName')}
            required
            value={form.firstName}
            onChange={(e) => setForm({ ...form, firstName: e.currentTarget.value })}
          />
          <TextInput
            label={t('users.lastName')}
            required
            value={form.lastName}
            onChange={(e) => setForm({ ...form, lastName: e.currentTarget.value })}
          />
          <MultiSelect label={t('users.roles')} data={ROLES} value={form.roles} onChange={(roles) => setForm({ ...form, roles })} w={260} />
          {form.roles.includes('regional-officer') && (
            <Select
              label={t('campaigns.region')}
              data={[...REGIONS]}
              value={form.region}
              onChange={(region) => setForm({ ...form, region })}
              w={110}
            />
          )}
          <TextInput
            label={t('actions.reason')}
            value={form.reason}
            onChange={(e) => setForm({ ...form, reason: e.currentTarget.value })}
          />
          <Button type="submit" loading={provisioned.loading}>
            {t('users.provision')}
          </Button>
        </Group>
      </Card>
      {loading && !data && <Loader aria-label={t('common.loading')} />}
      {data && (
        <Table data-testid="users" striped>
          <Table.Tbody>
            {data.users.edges.map(({ node: u }) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.username}</Table.Td>
                <Table.Td>{[u.firstName, u.lastName].filter(Boolean).join(' ')}</Table.Td>
                <Table.Td>{u.roles.join(', ')}</Table.Td>
                <Table.Td>{u.region ?? ''}</Table.Td>
                <Table.Td>
                  <Badge color={u.enabled ? '#1b5e20' : '#424242'}>{u.enabled ? t('users.active') : t('users.inactive')}</Badge>
                </Table.Td>
                <Table.Td>
                  {u.enabled && u.username !== viewer.username && (
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      onClick={() => void deactivate({ variables: { id: u.id } }).catch(() => null)}
                    >
                      {t('users.deactivate')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
